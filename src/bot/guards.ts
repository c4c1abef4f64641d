/** Process-level guards: a stray error is logged, never the end of the bot. */
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
