/**
 * What a job handler may use: the store, the studio, the REST delivery, a logger and limits.
 * The same runtime serves the all-in-one process and a `mixtape worker`: nothing in it needs
 * a gateway connection.
 */
import type { Logger } from 'pino';
import type { Store } from '../storage/types.ts';
import type { Studio, BotLimits } from '../bot/types.ts';
import type { AudioCache } from '../bot/voice/audio-cache.ts';
import type { Delivery, RestProgress } from '../delivery/rest.ts';
import type { Metrics } from '../worker/metrics.ts';

export interface JobRuntime {
  store: Store;
  studio: Studio;
  delivery: Delivery;
  log: Logger;
  limits: BotLimits;
  /** The process's own audio cache when it also plays voice (all-in-one): voice starts without a database read. */
  audio?: AudioCache;
  metrics?: Metrics;
  /** Public base URL of the web pages: track messages get an "Open" button. */
  webUrl?: string;
}

/** One run of one job. */
export interface JobRun {
  id: string;
  /** The member's reply, showing progress until the answer. */
  progress: RestProgress;
  /** How many more times the queue would run this job if it threw (0 or absent: answer the error now). */
  retriesLeft?: number;
  /** 0..1 and an optional note; shown on the reply and reported to the queue. */
  reportProgress(fraction: number, detail?: string): void;
}
