import type { Command } from '../command.ts';

const command: Command = {
  name: 'bot',
  summary: 'Run the Discord gateway only (commands, buttons, votes, voice); `mixtape worker` processes run the jobs. Needs REDIS_URL. SHARDS=auto|N splits it into shard processes.',
  usage: 'bot',
  options: {},
  async run() {
    const { main } = await import('../../bot/main.ts');
    const code = await main('bot');
    if (code !== 0) return code;
    await new Promise(() => undefined); // runs until a signal ends the process
  },
};

export default command;
