/** Process-level guards: a stray error is logged, never the end of the bot; a stop signal stops it once, cleanly. */
import type { Logger } from 'pino';

/** Logs unhandled rejections and uncaught exceptions instead of crashing. */
export function installProcessGuards(log: Logger): void {
  process.on('unhandledRejection', (reason) => {
    log.error({ err: reason instanceof Error ? { message: reason.message, stack: reason.stack } : String(reason) }, 'unhandled rejection');
  });
  process.on('uncaughtException', (err) => {
    log.error({ err: { message: err.message, stack: err.stack } }, 'uncaught exception');
  });
}

/**
 * On the first SIGINT or SIGTERM runs `stop` (later signals are ignored while it runs), then exits 0.
 * @example onStopSignal(async (signal) => { log.info({ signal }, 'shutting down'); await store.close(); })
 */
export function onStopSignal(stop: (signal: string) => Promise<void>): void {
  let stopping = false;
  const handle = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    await stop(signal);
    process.exit(0);
  };
  process.once('SIGINT', () => void handle('SIGINT'));
  process.once('SIGTERM', () => void handle('SIGTERM'));
}
