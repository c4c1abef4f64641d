/**
 * `npm start`: the Discord bot. Without a token it explains what to set and exits non-zero;
 * with one it opens the store (migrations), creates the queue and studio, logs in,
 * registers the commands and runs until SIGINT/SIGTERM. `mixtape bot` runs the same gateway
 * without jobs (workers take them from Redis); SHARDS=auto|N splits it into shard processes.
 */
import { canStartBot, configOrReport, missingTokenHelp, type Config } from '../config.ts';
import { createLogger } from '../log.ts';
import { openStore } from '../storage/index.ts';
import { createQueue } from '../queue/index.ts';
import { isMixtapeError } from '../engine/errors.ts';
import { startBot, jobRuntime } from './bot.ts';
import { createBullJobs } from '../queue/bullmq.ts';
import { startBullWorker } from '../worker/bullmq-worker.ts';
import { startHealthServer } from '../worker/health.ts';
import { Metrics } from '../worker/metrics.ts';
import { installProcessGuards, onStopSignal } from './guards.ts';
import { DEFAULT_LIMITS, type BotLimits, type Studio } from './types.ts';
import { TRAIN_FILE_OPTIONS } from './commands/train.ts';
import { startWebFromConfig, webUrlOf } from '../web/start.ts';

export { startBot } from './bot.ts';

/** The bot's limits from the app config. */
export function botLimits(config: Config): BotLimits {
  return {
    ...DEFAULT_LIMITS,
    maxMidiBytes: config.limits.maxAttachmentBytes,
    maxTrainFiles: Math.min(config.limits.maxTrainFiles, TRAIN_FILE_OPTIONS),
  };
}

/** `all`: gateway and jobs in one process (`npm start`); `bot`: the gateway only, workers run the jobs. */
export type BotRole = 'all' | 'bot';

/** Runs the bot; resolves with an exit code when it cannot start. */
export async function main(role: BotRole = 'all'): Promise<number> {
  const config = configOrReport();
  if (!config) return 1;
  if (!canStartBot(config)) {
    console.error(missingTokenHelp());
    return 1;
  }
  if (role === 'bot' && !config.scale.redisUrl) {
    console.error('mixtape bot runs the gateway only and leaves the jobs to `mixtape worker` processes: set REDIS_URL (and a PostgreSQL DATABASE_URL). For everything in one process, run npm start.');
    return 1;
  }
  if (config.scale.shards !== undefined && !process.env.SHARDING_MANAGER) {
    const { runShards } = await import('./shards.ts');
    return runShards(config, role);
  }
  const log = createLogger({ level: config.logLevel, name: role === 'bot' ? 'gateway' : 'bot' });
  installProcessGuards(log);
  try {
    const store = await openStore({ databaseUrl: config.databaseUrl });
    const queue = createQueue(config.limits);
    const studioModule = await import('../studio/index.ts');
    const studio: Studio = studioModule;
    const metrics = new Metrics();
    const botConfig = {
      discordToken: config.discordToken!, discordApiUrl: config.discordApiUrl, devGuildId: config.devGuildId,
      maxJobsPerGuild: config.limits.maxJobsPerGuild,
      // With shards, shard 0 registers the commands for all.
      registerCommands: shardIds().every((id) => id === 0),
    };
    // The web pages (WEB_PORT): track links, the server's mixtape, login and web votes (shard 0 only: one port).
    const web = config.web.port !== undefined && shardIds()[0] === 0 ? await startWebFromConfig(config, store, log.child({ name: 'web' }), config.web.port) : undefined;
    const deps = { store, queue, studio, log, limits: botLimits(config), webUrl: webUrlOf(config) };
    const redisUrl = config.scale.redisUrl;
    const jobs = redisUrl
      ? createBullJobs({
          redisUrl, queueName: config.scale.queueName, log,
          limits: { maxPerUser: config.limits.maxJobsPerUser, maxPerGuild: config.limits.maxJobsPerGuild, maxQueue: config.limits.maxQueue },
          delivery: jobRuntime(botConfig, deps).delivery,
        })
      : undefined;
    // Networks compose in a worker thread: the gateway heartbeat, voice and other members'
    // clicks are never held up by a generation (a gateway-only process still composes the radio).
    studioModule.useGenerationWorker();
    studioModule.keepEncodersWarm();
    if (role === 'all') {
      // Models and the SoundFont load in the background: the bot answers meanwhile.
      void studioModule.warmUp(config.soundfont).then((w) => log.info(w, 'studio warmed up'));
    }
    const bot = await startBot(botConfig, { ...deps, ...(jobs ? { jobs } : {}), weekly: { redisUrl } });
    // All-in-one on Redis: this process is also a worker (more can join with `mixtape worker`).
    const worker = jobs && role === 'all'
      ? startBullWorker({ redisUrl: redisUrl!, queueName: config.scale.queueName, concurrency: config.limits.concurrency, lockMs: config.scale.lockMs, stalledMs: config.scale.stalledMs, runtime: { ...jobRuntime(botConfig, deps, bot.ctx.audio), metrics } })
      : undefined;
    metrics.gauge('mixtape_queue_jobs', () => bot.ctx.jobs.counts());
    const health = config.scale.healthPort === undefined ? undefined : await startHealthServer({
      port: config.scale.healthPort === 0 ? 0 : config.scale.healthPort + shardIds()[0]!, role, metrics,
      checks: {
        database: () => store.ping(),
        gateway: async () => { if (bot.client.ws.status !== 0) throw new Error(`gateway status ${bot.client.ws.status}`); },
        ...(jobs ? { redis: async () => { await jobs.redis.ping(); } } : {}),
      },
    });
    onStopSignal(async (signal) => {
      log.info({ signal }, 'shutting down');
      await bot.stop().catch((err) => log.warn({ err: err.message }, 'stop failed'));
      await worker?.close().catch(() => undefined);
      await bot.ctx.jobs.close().catch(() => undefined);
      await web?.app.close().catch(() => undefined);
      await queue.close().catch(() => undefined);
      await health?.close().catch(() => undefined);
      await store.close().catch(() => undefined);
    });
    return 0;
  } catch (e) {
    // Never the token: discord.js's login error names no secret, and our messages neither.
    log.fatal({ err: isMixtapeError(e) ? e.message : (e as Error).message }, 'could not start the bot');
    return 1;
  }
}

/** The shards this process runs (discord.js's ShardingManager says so in SHARDS); [0] without one. */
export function shardIds(): number[] {
  const raw = process.env.SHARDS;
  if (!process.env.SHARDING_MANAGER || !raw) return [0];
  const ids = raw.split(',').map(Number).filter((n) => Number.isInteger(n) && n >= 0);
  return ids.length ? ids : [0];
}

if (import.meta.main) {
  // A shard process started by the ShardingManager learns its role from the environment.
  main(process.env.MIXTAPE_ROLE === 'bot' ? 'bot' : 'all').then((code) => {
    if (code !== 0) process.exit(code);
  });
}
