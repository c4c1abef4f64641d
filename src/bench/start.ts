/**
 * The bot's first /compose after a start: `npm start` as a new process on the embedded
 * defaults (SQLite in a temporary folder, in-process queue, the bundled SoundFont through its
 * decoded cache, shipped models) against the fake Discord on 127.0.0.1. A member sends
 * /compose the moment the bot logs "bot ready"; measured: ready -> acknowledged and ready ->
 * the track posted.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { median } from './stats.ts';

const MAIN = fileURLToPath(new URL('../bot/main.ts', import.meta.url));

export interface StartBench {
  genre: string;
  bars: number;
  /** From the process's start to its "bot ready" line. */
  readyMs: number;
  /** From "bot ready" to the deferred reply, and to the posted track. */
  ackMs: number;
  firstComposeMs: number;
  /** From "bot ready" to "studio warmed up" (models, SoundFont and a tiny piece), when it came first. */
  warmedMs?: number;
}

/**
 * Starts the bot, sends one /compose at "bot ready", stops it (SIGTERM).
 * @example (await benchBotStart({ bars: 16 })).firstComposeMs
 */
export async function benchBotStart(options: { genre?: string; bars?: number; timeoutMs?: number } = {}): Promise<StartBench> {
  const genre = options.genre ?? 'celtic';
  const bars = options.bars ?? 16;
  const timeoutMs = options.timeoutMs ?? 120_000;
  // The fake Discord is the test suite's (as `mixtape loadtest` uses it): loaded only here.
  const { FakeDiscord } = await import('../../test/fake-discord/server.ts');
  const fake = new FakeDiscord();
  await fake.start();
  const member = fake.addUser('bench-member');
  const dir = await mkdtemp(join(tmpdir(), 'mixtape-bench-start-'));
  const t0 = performance.now();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DISCORD_TOKEN: 'fake.bot.token-for-the-bench', DISCORD_APP_ID: fake.appId, DISCORD_API_URL: fake.apiUrl, DEV_GUILD_ID: fake.guildId,
    DATABASE_URL: `file:${join(dir, 'bench.db')}`, LOG_LEVEL: 'info',
  };
  for (const k of ['REDIS_URL', 'WEB_PORT', 'HEALTH_PORT', 'SHARDS']) delete env[k]; // the embedded defaults
  const child = spawn(process.execPath, [MAIN], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let readyAt: number | undefined;
  let warmedAt: number | undefined;
  let failure = '';
  // The logs go to stderr (stdout stays for a command's output).
  const onReady = new Promise<void>((resolve) => {
    createInterface({ input: child.stderr! }).on('line', (l) => {
      failure = l;
      if (l.includes('"msg":"bot ready"') && readyAt === undefined) { readyAt = performance.now(); resolve(); }
      if (l.includes('"msg":"studio warmed up"')) warmedAt ??= performance.now();
    });
  });
  child.stdout!.resume();
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    await Promise.race([onReady, exited.then((code) => { throw new Error(`the bot exited (${code}) before "bot ready": ${failure.slice(0, 300)}`); })]);
    const it = fake.slash(member, "compose", { genre, bars });
    await fake.waitFor(() => it.responses.some((r) => r.kind === 'callback'), timeoutMs, 'the acknowledgement');
    const ackAt = performance.now();
    await fake.waitFor(() => { const m = fake.original(it); return m && m.attachments.length >= 3 && m.components.length > 0; }, timeoutMs, 'the posted track');
    const postedAt = performance.now();
    return {
      genre, bars, readyMs: readyAt! - t0, ackMs: ackAt - readyAt!, firstComposeMs: postedAt - readyAt!,
      warmedMs: warmedAt !== undefined ? warmedAt - readyAt! : undefined,
    };
  } finally {
    child.kill('SIGTERM');
    const stopped = await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000, 'late'))]);
    if (stopped === 'late') child.kill('SIGKILL');
    await fake.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export interface StartRuns {
  genre: string;
  bars: number;
  runs: StartBench[];
  /** Median ms from "bot ready" to the first posted track, and to its acknowledgement. */
  medianMs: number;
  medianAckMs: number;
}

/** `runs` fresh bot starts, one /compose each. @example (await benchStart({ runs: 3 })).medianMs */
export async function benchStart(options: { genre?: string; bars?: number; runs?: number } = {}): Promise<StartRuns> {
  const runs: StartBench[] = [];
  for (let i = 0; i < (options.runs ?? 3); i++) runs.push(await benchBotStart(options));
  return {
    genre: runs[0].genre, bars: runs[0].bars, runs,
    medianMs: median(runs.map((r) => r.firstComposeMs)), medianAckMs: median(runs.map((r) => r.ackMs)),
  };
}
