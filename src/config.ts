/**
 * Configuration from the environment (and a `.env` file when present), validated with zod.
 * Every setting is optional except where a command needs it: `npm start` needs the Discord
 * token and application id (see `missingTokenHelp`), the CLI needs none.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { isMixtapeError, MixtapeError } from './engine/errors.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Limits {
  /** Pieces one member may have waiting or running at once. */
  maxJobsPerUser: number;
  /** Jobs waiting or running at once, in total. */
  maxQueue: number;
  /** Largest MIDI attachment accepted (bytes). */
  maxAttachmentBytes: number;
  /** Most MIDI files per training request. */
  maxTrainFiles: number;
  /** Jobs running at once (per worker process). */
  concurrency: number;
  /** Jobs one guild may have waiting or running at once. */
  maxJobsPerGuild: number;
}

/** Running as several processes (see README "Running at scale"). */
export interface ScaleConfig {
  /** Redis for the shared BullMQ queue; the in-process queue when absent. */
  redisUrl?: string;
  /** BullMQ queue name (lets several bots share one Redis). */
  queueName: string;
  /** 'auto' or a shard count; undefined = one process, no sharding manager. */
  shards?: 'auto' | number;
  /** Port of /healthz and /metrics; none when absent. */
  healthPort?: number;
  /** A worker's job lock (ms): a killed worker's job is taken over after about lockMs + stalledMs. */
  lockMs: number;
  /** How often workers look for stalled jobs (ms). */
  stalledMs: number;
}

export interface Config {
  discordToken?: string;
  discordAppId?: string;
  /** Register commands in this guild only (instant updates while developing). */
  devGuildId?: string;
  /** `file:...` or `postgresql://...`; SQLite under data/ when absent. */
  databaseUrl?: string;
  /** Path to a .sf2/.sf3 SoundFont; the bundled one when absent. */
  soundfont?: string;
  /** Path to ffmpeg; looked up on PATH when absent. */
  ffmpegPath?: string;
  /** Discord REST base URL (a local fake in tests). */
  discordApiUrl: string;
  logLevel: LogLevel;
  limits: Limits;
  scale: ScaleConfig;
  web: WebConfig;
}

/** The web pages (`npm start` serves them when WEB_PORT is set; `mixtape web` always). */
export interface WebConfig {
  port?: number;
  /** Public base URL of the pages (track links, the "Open" button, Discord's OAuth redirect). */
  publicUrl?: string;
  /** Signs login cookies (32+ characters). */
  sessionSecret?: string;
  /** The Discord application's OAuth2 client secret (login). */
  clientSecret?: string;
  /** Discord's authorization page. */
  oauthAuthorizeUrl: string;
}

/** An optional string: blank counts as unset. */
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

const snowflake = (name: string) =>
  optionalText.refine((v) => v === undefined || /^\d{5,25}$/.test(v), `${name} must be a Discord id (digits only)`);

const wholeNumber = (name: string, min: number, max: number, fallback: number) =>
  optionalText
    .transform((v) => (v === undefined ? fallback : Number(v)))
    .refine((n) => Number.isInteger(n) && n >= min && n <= max, `${name} must be a whole number from ${min} to ${max}`);

const schema = z.object({
  DISCORD_TOKEN: optionalText.refine(
    (v) => v === undefined || /^[\w.-]{20,}$/.test(v),
    'DISCORD_TOKEN does not look like a bot token (copy it again from the developer portal, Bot tab)',
  ),
  DISCORD_APP_ID: snowflake('DISCORD_APP_ID'),
  DEV_GUILD_ID: snowflake('DEV_GUILD_ID'),
  DATABASE_URL: optionalText.refine(
    (v) => v === undefined || /^(file:|postgres(ql)?:\/\/)/i.test(v),
    'DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL)',
  ),
  SOUNDFONT: optionalText,
  FFMPEG_PATH: optionalText,
  DISCORD_API_URL: optionalText
    .transform((v) => v ?? 'https://discord.com/api')
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v), 'DISCORD_API_URL must be an http(s) URL'),
  LOG_LEVEL: optionalText
    .transform((v) => (v ?? 'info').toLowerCase())
    .refine((v): v is LogLevel => (LOG_LEVELS as readonly string[]).includes(v), `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`),
  WEB_PORT: optionalText.refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535), 'WEB_PORT must be a port number from 1 to 65535'),
  WEB_URL: optionalText.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), 'WEB_URL must be the http(s) address people open, e.g. https://mixtape.example.org'),
  SESSION_SECRET: optionalText.refine((v) => v === undefined || v.length >= 32, 'SESSION_SECRET must be at least 32 characters (e.g. openssl rand -base64 32)'),
  DISCORD_CLIENT_SECRET: optionalText,
  DISCORD_OAUTH_URL: optionalText
    .transform((v) => v ?? 'https://discord.com/oauth2/authorize')
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v), 'DISCORD_OAUTH_URL must be an http(s) URL'),
  MAX_JOBS_PER_USER: wholeNumber('MAX_JOBS_PER_USER', 1, 100, 2),
  MAX_QUEUE: wholeNumber('MAX_QUEUE', 1, 10_000, 20),
  MAX_ATTACHMENT_BYTES: wholeNumber('MAX_ATTACHMENT_BYTES', 1024, 100 * 1024 * 1024, 1024 * 1024),
  MAX_TRAIN_FILES: wholeNumber('MAX_TRAIN_FILES', 1, 500, 20),
  CONCURRENCY: wholeNumber('CONCURRENCY', 1, 64, 1),
  MAX_JOBS_PER_GUILD: wholeNumber('MAX_JOBS_PER_GUILD', 1, 100_000, 50),
  REDIS_URL: optionalText.refine((v) => v === undefined || /^rediss?:\/\/[^\s]+$/i.test(v), 'REDIS_URL must start with redis:// or rediss://'),
  QUEUE_NAME: optionalText
    .transform((v) => v ?? 'mixtape')
    .refine((v) => /^[\w-]{1,64}$/.test(v), 'QUEUE_NAME must be letters, digits, - or _'),
  SHARDS: optionalText.refine((v) => v === undefined || v === 'auto' || /^[1-9]\d{0,3}$/.test(v), 'SHARDS must be auto or a number of shards'),
  JOB_LOCK_MS: wholeNumber('JOB_LOCK_MS', 1000, 600_000, 10_000),
  JOB_STALLED_MS: wholeNumber('JOB_STALLED_MS', 500, 600_000, 5_000),
  HEALTH_PORT: optionalText.refine((v) => v === undefined || (/^\d{1,5}$/.test(v) && Number(v) <= 65535), 'HEALTH_PORT must be a port number'),
});

/**
 * Validate settings. Throws a one-line MixtapeError (BAD_ARGUMENT) naming every invalid one;
 * values are never echoed, so a mistyped token cannot end up in a log.
 * @example loadConfig({ MAX_QUEUE: '5' }).limits.maxQueue // 5
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // In a shard process, discord.js's ShardingManager uses SHARDS for the shard ids it runs.
  const parsed = schema.safeParse(env.SHARDING_MANAGER ? { ...env, SHARDS: undefined } : env);
  if (!parsed.success) {
    const problems = [...new Set(parsed.error.issues.map((i) => i.message))];
    throw new MixtapeError('BAD_ARGUMENT', `invalid configuration: ${problems.join('; ')} — fix it in .env or the environment`);
  }
  const v = parsed.data;
  return {
    discordToken: v.DISCORD_TOKEN,
    discordAppId: v.DISCORD_APP_ID,
    devGuildId: v.DEV_GUILD_ID,
    databaseUrl: v.DATABASE_URL,
    soundfont: v.SOUNDFONT,
    ffmpegPath: v.FFMPEG_PATH,
    discordApiUrl: v.DISCORD_API_URL.replace(/\/+$/, ''),
    logLevel: v.LOG_LEVEL as LogLevel,
    limits: {
      maxJobsPerUser: v.MAX_JOBS_PER_USER,
      maxQueue: v.MAX_QUEUE,
      maxAttachmentBytes: v.MAX_ATTACHMENT_BYTES,
      maxTrainFiles: v.MAX_TRAIN_FILES,
      concurrency: v.CONCURRENCY,
      maxJobsPerGuild: v.MAX_JOBS_PER_GUILD,
    },
    scale: {
      redisUrl: v.REDIS_URL,
      queueName: v.QUEUE_NAME,
      shards: v.SHARDS === undefined ? undefined : v.SHARDS === 'auto' ? 'auto' : Number(v.SHARDS),
      healthPort: v.HEALTH_PORT === undefined ? undefined : Number(v.HEALTH_PORT),
      lockMs: v.JOB_LOCK_MS,
      stalledMs: v.JOB_STALLED_MS,
    },
    web: {
      port: v.WEB_PORT === undefined ? undefined : Number(v.WEB_PORT),
      publicUrl: v.WEB_URL?.replace(/\/+$/, ''),
      sessionSecret: v.SESSION_SECRET,
      clientSecret: v.DISCORD_CLIENT_SECRET,
      oauthAuthorizeUrl: v.DISCORD_OAUTH_URL,
    },
  };
}

/**
 * The variables in a `.env` file ({} when there is none). Pure: process.env is not touched.
 * @example readEnvFile('.env') // { DISCORD_TOKEN: '...' }
 */
export function readEnvFile(path = '.env'): Record<string, string> {
  if (!existsSync(path)) return {};
  try {
    const vars = parseEnv(readFileSync(path, 'utf8'));
    return Object.fromEntries(Object.entries(vars).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    throw new MixtapeError('BAD_ARGUMENT', `cannot read ${path}: write it as NAME=value lines`);
  }
}

/** The configuration of this process: `.env` (if any) under the real environment, which wins. */
export function configFromEnvironment(envFile = '.env'): Config {
  return loadConfig({ ...readEnvFile(envFile), ...process.env });
}

/** This process's configuration, or undefined after printing in one line why it is invalid (for a main that then exits 1). */
export function configOrReport(): Config | undefined {
  try {
    return configFromEnvironment();
  } catch (e) {
    console.error(isMixtapeError(e) ? e.message : String(e));
    return undefined;
  }
}

/** True when the bot has what it needs to log in. */
export const canStartBot = (config: Config): boolean => Boolean(config.discordToken && config.discordAppId);

/** What to tell someone who ran `npm start` without Discord credentials. */
export function missingTokenHelp(): string {
  return [
    'Mixtape needs a Discord bot to run: set DISCORD_TOKEN and DISCORD_APP_ID.',
    '  1. Open https://discord.com/developers/applications, create an application.',
    '  2. Copy its Application ID (General Information) and a token (Bot > Reset Token).',
    '  3. Put them in a .env file next to package.json:',
    '       DISCORD_TOKEN=your-bot-token',
    '       DISCORD_APP_ID=your-application-id',
    '     (optional: DEV_GUILD_ID=your-server-id for instant command updates)',
    '  4. Run `npm start` again.',
    'To try the music without Discord: npx mixtape compose --genre celtic --bars 16 --out out/',
  ].join('\n');
}
