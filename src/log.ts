/**
 * Logging with pino. Secrets (tokens, authorization headers, passwords, database URLs,
 * which may hold a password) are replaced by "[redacted]" before a line is written.
 */
import pino from 'pino';
import type { LogLevel } from './config.ts';

export type Logger = pino.Logger;

/** Field names whose values never reach a log, at the top level and one or two levels down. */
const SECRET_KEYS = [
  'token',
  'authorization',
  'Authorization',
  'password',
  'DISCORD_TOKEN',
  'discordToken',
  'DATABASE_URL',
  'databaseUrl',
  'connectionString',
];

/** pino redact paths for SECRET_KEYS. @example redactPaths().includes('*.token') // true */
export function redactPaths(): string[] {
  return SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Component name shown on every line, e.g. 'bot' or 'queue'. */
  name?: string;
  /** Where lines go (stdout when absent); tests pass a stream to read them back. */
  destination?: pino.DestinationStream;
}

/**
 * A pino logger with secret redaction.
 * @example createLogger({ level: 'info', name: 'bot' }).info({ token: 'abc' }, 'login') // token: "[redacted]"
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const config: pino.LoggerOptions = {
    level: options.level ?? 'info',
    redact: { paths: redactPaths(), censor: '[redacted]' },
    ...(options.name ? { name: options.name } : {}),
  };
  // stderr by default: stdout belongs to command output (`--json` prints exactly one object there).
  return pino(config, options.destination ?? pino.destination(2));
}
