import type { Command } from '../command.ts';
import { num, str } from '../command.ts';
import { MixtapeError } from '../../engine/errors.ts';

const SCENARIOS = ['steady', 'kill-worker', 'restart-gateway', 'one-worker'] as const;
type Scenario = (typeof SCENARIOS)[number];

const command: Command = {
  name: 'loadtest',
  summary: 'Load and fault test against a local fake Discord: 1 gateway + N workers on Redis and PostgreSQL, many members sending /compose at once. Prints acknowledgements within 3 s, answers, p50/p95 time to result, compositions per minute, lost and duplicated answers, per scenario.',
  usage: 'loadtest [--members 40] [--per-member 3] [--bars 8] [--workers 2] [--spread 30] [--scenarios steady,kill-worker,restart-gateway,one-worker]',
  options: {
    members: { type: 'string', description: 'members sending /compose', default: '40' },
    'per-member': { type: 'string', description: '/compose per member', default: '3' },
    bars: { type: 'string', description: 'bars per piece', default: '8' },
    workers: { type: 'string', description: 'worker processes', default: '2' },
    concurrency: { type: 'string', description: 'jobs at once per worker (CONCURRENCY; a job keeps about one core busy)', default: '1' },
    spread: { type: 'string', description: 'seconds over which the requests are sent', default: '30' },
    timeout: { type: 'string', description: 'seconds to wait for answers after the last request', default: '240' },
    scenarios: { type: 'string', description: `comma-separated: ${SCENARIOS.join(', ')}`, default: 'steady,kill-worker,restart-gateway,one-worker' },
    redis: { type: 'string', description: 'Redis URL', default: 'REDIS_URL or redis://127.0.0.1:6379' },
    postgres: { type: 'string', description: 'PostgreSQL URL (a schema of its own is made and dropped)', default: 'postgresql://postgres@127.0.0.1:5432/test' },
  },
  async run(values) {
    const { runLoadtest, resultLines } = await import('../../loadtest/run.ts');
    const scenarios = (str(values, 'scenarios') ?? SCENARIOS.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
    for (const s of scenarios) if (!(SCENARIOS as readonly string[]).includes(s)) throw new MixtapeError('BAD_ARGUMENT', `unknown scenario "${s}": use ${SCENARIOS.join(', ')}`);
    const base = {
      members: num(values, 'members', 40, 1, 1000, true),
      perMember: num(values, 'per-member', 3, 1, 20, true),
      bars: num(values, 'bars', 8, 1, 64, true),
      workers: num(values, 'workers', 2, 1, 16, true),
      workerConcurrency: num(values, 'concurrency', 1, 1, 64, true),
      spreadMs: num(values, 'spread', 30, 0, 600) * 1000,
      timeoutMs: num(values, 'timeout', 240, 5, 3600) * 1000,
      redisUrl: str(values, 'redis') ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      postgresUrl: str(values, 'postgres') ?? 'postgresql://postgres@127.0.0.1:5432/test',
      say: (l: string) => console.log(`  ${l}`),
    };
    const results: Record<string, Awaited<ReturnType<typeof runLoadtest>>> = {};
    for (const s of scenarios as Scenario[]) {
      console.log(`scenario ${s}…`);
      const o = { ...base };
      // Mid-run: the worker dies while members are still sending and it holds jobs.
      if (s === 'kill-worker') Object.assign(o, { killWorkerAtMs: base.spreadMs / 2 + 3000 });
      if (s === 'restart-gateway') Object.assign(o, { restartGatewayAtMs: base.spreadMs + 2000 });
      if (s === 'one-worker') Object.assign(o, { workers: 1 });
      results[s] = await runLoadtest(o);
      for (const line of resultLines(`${s} (${o.workers} worker${o.workers === 1 ? '' : 's'})`, results[s])) console.log(line);
    }
    const two = results.steady;
    const one = results['one-worker'];
    if (two && one && one.perMinute > 0) {
      console.log(`throughput: 2 workers ${two.perMinute.toFixed(0)}/min vs 1 worker ${one.perMinute.toFixed(0)}/min (x${(two.perMinute / one.perMinute).toFixed(2)}); all answered after ${(two.wallMs / 1000).toFixed(1)} s vs ${(one.wallMs / 1000).toFixed(1)} s`);
    }
    const bad = Object.values(results).some((r) => r.lost > 0 || r.duplicated > 0);
    return bad ? 1 : 0;
  },
};

export default command;
