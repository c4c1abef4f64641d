/**
 * `mixtape worker`: runs jobs only (compose, continue), as many processes as wanted, on any
 * machine that reaches Redis and the database. No gateway connection: answers go over REST
 * with each interaction's token. SIGTERM: stop taking jobs, finish the running ones, exit.
 */
import { configOrReport } from '../config.ts';
import { createLogger } from '../log.ts';
import { openStore } from '../storage/index.ts';
import { isMixtapeError } from '../engine/errors.ts';
import { installProcessGuards, onStopSignal } from '../bot/guards.ts';
import { DEFAULT_LIMITS } from '../bot/types.ts';
import { createDelivery } from '../delivery/rest.ts';
import { startBullWorker } from './bullmq-worker.ts';
import { startHealthServer } from './health.ts';
import { Metrics } from './metrics.ts';

/** What to tell someone who started a worker without a queue to take jobs from. */
export const NEEDS_REDIS = 'mixtape worker takes jobs from Redis: set REDIS_URL (e.g. redis://127.0.0.1:6379) and a PostgreSQL DATABASE_URL shared with the bot. For everything in one process, run npm start.';

/** Runs a worker until SIGINT/SIGTERM; resolves with an exit code when it cannot start. */
export async function runWorker(options: { concurrency?: number } = {}): Promise<number> {
  const config = configOrReport();
  if (!config) return 1;
  const redisUrl = config.scale.redisUrl;
  if (!redisUrl) {
    console.error(NEEDS_REDIS);
    return 1;
  }
  const log = createLogger({ level: config.logLevel, name: 'worker' });
  installProcessGuards(log);
  if (!config.databaseUrl?.startsWith('postgres')) log.warn('DATABASE_URL is not PostgreSQL: several processes on one SQLite file only work on one machine');
  try {
    const store = await openStore({ databaseUrl: config.databaseUrl });
    const studio = await import('../studio/index.ts');
    studio.useGenerationWorker();
    studio.keepEncodersWarm();
    void studio.warmUp(config.soundfont).then((w) => log.info(w, 'studio warmed up'));
    const metrics = new Metrics();
    const limits = { ...DEFAULT_LIMITS, maxMidiBytes: config.limits.maxAttachmentBytes };
    const worker = startBullWorker({
      redisUrl,
      queueName: config.scale.queueName,
      concurrency: options.concurrency ?? config.limits.concurrency,
      lockMs: config.scale.lockMs,
      stalledMs: config.scale.stalledMs,
      runtime: {
        store, studio, log, limits, metrics,
        webUrl: config.web.publicUrl, // track messages get the web page's "Open" button
        // The bot token is only needed to post in the channel after an interaction's 15 minutes.
        delivery: createDelivery({ apiUrl: config.discordApiUrl, botToken: config.discordToken, log }),
      },
    });
    metrics.gauge('mixtape_queue_jobs', () => worker.counts());
    const health = config.scale.healthPort === undefined ? undefined : await startHealthServer({
      port: config.scale.healthPort, role: 'worker', metrics,
      checks: {
        database: () => store.ping(),
        redis: async () => { await worker.redis.ping(); },
        worker: async () => { if (!worker.worker.isRunning()) throw new Error('not taking jobs'); },
      },
    });
    log.info({ concurrency: options.concurrency ?? config.limits.concurrency, queue: config.scale.queueName }, 'worker ready');
    onStopSignal(async (signal) => {
      log.info({ signal }, 'draining: finishing the running jobs, taking no new ones');
      await worker.close().catch((err) => log.warn({ err: err.message }, 'worker close failed'));
      await health?.close().catch(() => undefined);
      await store.close().catch(() => undefined);
      log.info('worker stopped');
    });
    return 0;
  } catch (e) {
    log.fatal({ err: isMixtapeError(e) ? e.message : (e as Error).message }, 'could not start the worker');
    return 1;
  }
}

if (import.meta.main) {
  runWorker().then((code) => {
    if (code !== 0) process.exit(code);
  });
}
