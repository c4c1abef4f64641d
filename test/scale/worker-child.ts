/**
 * A `mixtape worker` with the fast test studio, for the bounded load test in the suite: the
 * same queue, runtime, delivery and signals as src/worker/main.ts, only the music is a stand-in.
 */
import pino from 'pino';
import { configFromEnvironment } from '../../src/config.ts';
import { openStore } from '../../src/storage/index.ts';
import { DEFAULT_LIMITS } from '../../src/bot/types.ts';
import { createDelivery } from '../../src/delivery/rest.ts';
import { startBullWorker } from '../../src/worker/bullmq-worker.ts';
import { createTestStudio } from '../bot/test-studio.ts';

const config = configFromEnvironment('/nonexistent');
const log = pino({ level: 'info' });
const store = await openStore({ databaseUrl: config.databaseUrl });
const worker = startBullWorker({
  redisUrl: config.scale.redisUrl!,
  queueName: config.scale.queueName,
  concurrency: config.limits.concurrency,
  lockMs: config.scale.lockMs,
  stalledMs: config.scale.stalledMs,
  runtime: {
    store, log, studio: createTestStudio({ composeMs: Number(process.env.TEST_COMPOSE_MS ?? 300) }),
    limits: { ...DEFAULT_LIMITS, progressEditMs: 300 },
    delivery: createDelivery({ apiUrl: config.discordApiUrl, botToken: config.discordToken, log }),
  },
});
log.info('worker ready');
process.once('SIGTERM', async () => {
  await worker.close();
  await store.close();
  process.exit(0);
});
