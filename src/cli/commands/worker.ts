import type { Command } from '../command.ts';
import { optionalNum } from '../command.ts';

const command: Command = {
  name: 'worker',
  summary: 'Run jobs only (compose, continue) from the shared queue: needs REDIS_URL and the database the bot uses. Start as many as you like; SIGTERM finishes the running jobs first.',
  usage: 'worker [--concurrency N]',
  options: {
    concurrency: { type: 'string', description: 'jobs at once in this process', default: 'CONCURRENCY or 1' },
  },
  async run(values) {
    const { runWorker } = await import('../../worker/main.ts');
    const code = await runWorker({ concurrency: optionalNum(values, 'concurrency', 1, 64, true) });
    if (code !== 0) return code;
    await new Promise(() => undefined); // runs until a signal ends the process
  },
};

export default command;
