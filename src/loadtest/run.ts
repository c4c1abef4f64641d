/**
 * The load and fault test: a fake Discord on 127.0.0.1, one gateway (`mixtape bot`) and N
 * worker processes on Redis + PostgreSQL, many members sending /compose at once. Measures
 * what a member sees: the acknowledgement (within Discord's 3 s), the answer, the time to it,
 * and lost or duplicated answers; optionally with a worker SIGKILLed or the gateway restarted
 * mid-run. Bounded: a fixed number of requests and a deadline for the answers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { quantile } from '../worker/metrics.ts';

export interface LoadtestOptions {
  members: number;
  /** /compose per member. */
  perMember: number;
  bars: number;
  workers: number;
  /** Jobs at once per worker process. */
  workerConcurrency: number;
  /** The requests are sent at random moments within this window. */
  spreadMs: number;
  /** Give up waiting for answers this long after the last request. */
  timeoutMs: number;
  /** SIGKILL the first worker this long after the first request. */
  killWorkerAtMs?: number;
  /** SIGTERM the last worker this long after the first request: it drains and exits. */
  termWorkerAtMs?: number;
  /** SIGTERM the gateway this long after the first request, then start a new one. */
  restartGatewayAtMs?: number;
  redisUrl: string;
  /** PostgreSQL base URL; the run uses a schema of its own and drops it. */
  postgresUrl: string;
  /** The worker's entry script and extra environment (the suite uses a fast test studio). */
  workerScript?: string;
  env?: Record<string, string>;
  /** Job lock and stalled-check interval (ms) of the workers. */
  lockMs?: number;
  stalledMs?: number;
  /** Progress lines. */
  say?: (line: string) => void;
}

export interface LoadtestResult {
  sent: number;
  /** Acknowledged (deferred or answered) within 3 s. */
  ackedIn3s: number;
  ackP95Ms: number;
  /** Answered with a track. */
  tracks: number;
  /** Answered with a limit or error message only the member sees. */
  refused: number;
  /** Those messages, each with how many members got it. */
  refusals: Record<string, number>;
  lost: number;
  duplicated: number;
  /** Track rows in the database (one per answered track when nothing is duplicated). */
  trackRows: number;
  p50Ms: number;
  p95Ms: number;
  perMinute: number;
  /** From the first request to the last answer. */
  wallMs: number;
  /** Job runs that were not a job's first (taken over after a worker died or lost its lock, or retried). */
  takenOver: number;
  /** Stalled-job reports and failed job runs in the workers' logs. */
  stalled: number;
  failedRuns: number;
  events: string[];
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const GENRES = ['celtic', 'classical', 'jazz', 'game', 'pop', 'dance'];

interface Child {
  proc: ChildProcess;
  name: string;
  lines: string[];
  exited: Promise<number | null>;
}

function startChild(name: string, script: string, env: Record<string, string>): Child {
  const proc = spawn(process.execPath, [script], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const keep = (l: string) => { lines.push(l); if (lines.length > 5000) lines.shift(); };
  createInterface({ input: proc.stdout! }).on('line', keep);
  createInterface({ input: proc.stderr! }).on('line', keep);
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return { proc, name, lines, exited };
}

/** Resolves when the child logged a line whose pino `msg` is `msg`; rejects on exit or timeout. */
async function logged(child: Child, msg: string, ms: number, from = 0): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.lines.slice(from).some((l) => l.includes(`"msg":"${msg}"`))) return;
    if (child.proc.exitCode !== null || child.proc.signalCode !== null) throw new Error(`${child.name} exited: ${child.lines.slice(-5).join(' | ')}`);
    await sleep(50);
  }
  throw new Error(`${child.name} did not log "${msg}" within ${ms} ms: ${child.lines.slice(-5).join(' | ')}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const countLogged = (c: Child, msg: string) => c.lines.filter((l) => l.includes(`"msg":"${msg}"`)).length;

/** Runs one load test; every process it started is gone when it resolves. */
export async function runLoadtest(o: LoadtestOptions): Promise<LoadtestResult> {
  const { FakeDiscord } = await import('../../test/fake-discord/server.ts');
  const say = o.say ?? (() => undefined);
  const events: string[] = [];
  const note = (e: string) => { events.push(e); say(e); };
  const fake = new FakeDiscord();
  await fake.start();
  const tag = `lt_${process.pid}_${Date.now().toString(36)}`;
  const databaseUrl = `${o.postgresUrl}${o.postgresUrl.includes('?') ? '&' : '?'}schema=${tag}`;
  const members = Array.from({ length: o.members }, (_, n) => fake.addUser(`member${n}`));
  const env: Record<string, string> = {
    DISCORD_TOKEN: 'fake.bot.token-for-the-loadtest',
    DISCORD_APP_ID: fake.appId,
    DISCORD_API_URL: fake.apiUrl,
    DEV_GUILD_ID: fake.guildId,
    DATABASE_URL: databaseUrl,
    REDIS_URL: o.redisUrl,
    QUEUE_NAME: tag,
    LOG_LEVEL: 'info',
    MAX_JOBS_PER_USER: String(o.perMember),
    MAX_JOBS_PER_GUILD: String(o.members * o.perMember),
    MAX_QUEUE: String(o.members * o.perMember),
    CONCURRENCY: String(o.workerConcurrency),
    JOB_LOCK_MS: String(o.lockMs ?? 10_000),
    JOB_STALLED_MS: String(o.stalledMs ?? 5_000),
    ...o.env,
  };
  const children: Child[] = [];
  const gatewayScript = 'src/bot/main.ts';
  const workerScript = o.workerScript ?? 'src/worker/main.ts';
  try {
    let gateway = startChild('gateway', gatewayScript, { ...env, MIXTAPE_ROLE: 'bot' });
    children.push(gateway);
    await logged(gateway, 'bot ready', 60_000);
    const workers = Array.from({ length: o.workers }, (_, n) => startChild(`worker${n + 1}`, workerScript, env));
    children.push(...workers);
    // A real studio loads its models first; the test studio is ready at once.
    await Promise.all(workers.map((w) => logged(w, 'worker ready', 120_000)));
    await Promise.all(workers.map((w) => (workerScript.endsWith('src/worker/main.ts') ? logged(w, 'studio warmed up', 180_000) : Promise.resolve())));
    note(`ready: 1 gateway + ${o.workers} worker${o.workers === 1 ? '' : 's'} (concurrency ${o.workerConcurrency} each)`);

    const total = o.members * o.perMember;
    const sent: ReturnType<typeof fake.slash>[] = [];
    const start = Date.now();
    const sends = members.flatMap((m, n) => Array.from({ length: o.perMember }, (_, k) =>
      sleep(Math.random() * o.spreadMs).then(() => { sent.push(fake.slash(m, 'compose', { genre: GENRES[(n + k) % GENRES.length], bars: o.bars })); })));
    const faults: Promise<void>[] = [];
    if (o.killWorkerAtMs !== undefined) {
      faults.push(sleep(o.killWorkerAtMs).then(() => {
        workers[0].proc.kill('SIGKILL');
        note(`t=${((Date.now() - start) / 1000).toFixed(1)} s: SIGKILL ${workers[0].name} (pid ${workers[0].proc.pid})`);
      }));
    }
    if (o.termWorkerAtMs !== undefined) {
      faults.push(sleep(o.termWorkerAtMs).then(async () => {
        const w = workers.at(-1)!;
        const at = Date.now();
        w.proc.kill('SIGTERM');
        const code = await w.exited;
        note(`t=${((at - start) / 1000).toFixed(1)} s: SIGTERM ${w.name}: it finished its jobs and exited with code ${code} after ${((Date.now() - at) / 1000).toFixed(1)} s`);
      }));
    }
    if (o.restartGatewayAtMs !== undefined) {
      faults.push(sleep(o.restartGatewayAtMs).then(async () => {
        const down = Date.now();
        gateway.proc.kill('SIGTERM');
        await gateway.exited;
        gateway = startChild('gateway2', gatewayScript, { ...env, MIXTAPE_ROLE: 'bot' });
        children.push(gateway);
        await logged(gateway, 'bot ready', 60_000);
        note(`t=${((down - start) / 1000).toFixed(1)} s: gateway restarted (down ${((Date.now() - down) / 1000).toFixed(1)} s)`);
      }));
    }
    await Promise.all(sends);
    const lastSent = Date.now();
    const answerOf = (it: (typeof sent)[number]) => {
      const track = it.responses.find((r) => r.kind === 'edit' && r.files.length >= 3);
      if (track) return { at: track.at, track: true };
      const text = fake.ephemeral(it);
      if (text) return { at: it.responses.at(-1)!.at, track: false };
      return undefined;
    };
    while (Date.now() - lastSent < o.timeoutMs && sent.some((it) => !answerOf(it))) await sleep(100);
    await Promise.all(faults);
    await sleep(500); // late duplicates, if any, would land now

    const acks = sent.map((it) => fake.firstResponseMs(it) ?? Infinity);
    const answers = sent.map(answerOf);
    const trackTimes = sent.flatMap((it, n) => (answers[n]?.track ? [answers[n]!.at - it.sentAt] : [])).sort((a, b) => a - b);
    const lastAnswer = Math.max(start, ...answers.flatMap((a) => (a ? [a.at] : [])));
    // Duplicates: a second, different track on one reply, or track messages beyond one per answered request.
    let duplicated = 0;
    const originals = new Set(sent.map((it) => it.originalMessageId));
    for (const it of sent) {
      const ids = new Set(it.responses.flatMap((r) => (r.files.length >= 3 ? [String(r.body?.components?.[0]?.components?.[0]?.custom_id)] : [])));
      duplicated += Math.max(0, ids.size - 1);
    }
    for (const m of fake.messages.values()) {
      if (!originals.has(m.id) && m.components.some((row: any) => row.components?.some((c: any) => String(c.custom_id).startsWith('mt:')))) duplicated += 1;
    }
    const trackRows = await countTracks(o.postgresUrl, tag);
    const tracks = trackTimes.length;
    return {
      sent: total,
      ackedIn3s: acks.filter((ms) => ms < 3000).length,
      ackP95Ms: quantile([...acks].sort((a, b) => a - b), 0.95),
      tracks,
      refused: answers.filter((a) => a && !a.track).length,
      refusals: sent.reduce<Record<string, number>>((acc, it, n) => {
        if (answers[n] && !answers[n]!.track) { const t = fake.ephemeral(it) ?? '?'; acc[t] = (acc[t] ?? 0) + 1; }
        return acc;
      }, {}),
      lost: answers.filter((a) => !a).length,
      duplicated,
      trackRows,
      p50Ms: quantile(trackTimes, 0.5),
      p95Ms: quantile(trackTimes, 0.95),
      perMinute: tracks && lastAnswer > start ? (tracks / (lastAnswer - start)) * 60_000 : 0,
      wallMs: lastAnswer - start,
      takenOver: children.reduce((n, c) => n + countLogged(c, 'job taken over'), 0),
      stalled: children.reduce((n, c) => n + countLogged(c, 'a job stalled (its worker died or hung): it runs again'), 0),
      failedRuns: children.reduce((n, c) => n + countLogged(c, 'job failed'), 0),
      events,
    };
  } finally {
    for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGTERM');
    await Promise.race([Promise.all(children.map((c) => c.exited)), sleep(15_000)]);
    for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
    await fake.stop();
    await dropSchema(o.postgresUrl, tag).catch(() => undefined);
    await clearQueue(o.redisUrl, tag).catch(() => undefined);
  }
}

async function withPg<T>(url: string, fn: (c: import('pg').Client) => Promise<T>): Promise<T> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url.split('?')[0] });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const countTracks = (url: string, schema: string) =>
  withPg(url, async (c) => Number((await c.query(`SELECT count(*)::int AS n FROM "${schema}".tracks`)).rows[0].n)).catch(() => -1);

const dropSchema = (url: string, schema: string) => withPg(url, (c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));

/** Removes the run's queue from Redis (only its own keys). */
async function clearQueue(redisUrl: string, queueName: string): Promise<void> {
  const { Queue } = await import('bullmq');
  const { Redis } = await import('ioredis');
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(queueName, { connection });
  try {
    await queue.obliterate({ force: true });
    let cursor = '0';
    do {
      const [next, keys] = await connection.scan(cursor, 'MATCH', `bull:${queueName}:*`, 'COUNT', 500);
      if (keys.length) await connection.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await queue.close();
    await connection.quit();
  }
}

/** The result as the lines `mixtape loadtest` prints. */
export function resultLines(name: string, r: LoadtestResult): string[] {
  return [
    `${name}:`,
    `  sent ${r.sent} /compose; acknowledged within 3 s: ${r.ackedIn3s}/${r.sent} (p95 ${Math.round(r.ackP95Ms)} ms)`,
    `  answered: ${r.tracks} tracks + ${r.refused} limit/error messages; unanswered at the deadline (lost) ${r.lost}; duplicated ${r.duplicated}; track rows ${r.trackRows}`,
    `  time to result: p50 ${(r.p50Ms / 1000).toFixed(1)} s, p95 ${(r.p95Ms / 1000).toFixed(1)} s; ${r.perMinute.toFixed(0)} compositions/min; all answered after ${(r.wallMs / 1000).toFixed(1)} s`,
    `  job runs after the first: ${r.takenOver} (stalled reports ${r.stalled}, failed runs ${r.failedRuns})`,
    ...Object.entries(r.refusals).map(([text, n]) => `  ${n} x "${text}"`),
  ];
}
