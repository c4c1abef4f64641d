/**
 * The bot's own contracts: what it needs from the outside (store, queue, studio, logger)
 * and what every slash command module looks like.
 */
import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  Client,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from 'pino';
import type { Store } from '../storage/types.ts';
import type { DurableQueue, JobQueue } from '../queue/types.ts';
import type { ComposeRequest, ComposeResult, TrainRequest, TrainResult } from '../studio/types.ts';
import type { RemixRequest } from '../studio/remix-effects.ts';
import type { RecordOptions, RecordPiece, Recording } from '../studio/record.ts';
import type { WeeklySchedulerOptions } from '../record/scheduler.ts';
import type { VoiceManager } from './voice/manager.ts';
import type { AudioCache } from './voice/audio-cache.ts';
import type { RadioManager } from './radio/manager.ts';

/** Progress as any studio stage reports it (compose stages or training epochs). */
export interface StudioProgress {
  fraction: number;
  stage?: string;
  detail?: string;
  epoch?: number;
  epochs?: number;
  loss?: number;
}

/** The music, reached only through the studio facade (injected so tests can swap it). */
export interface Studio {
  composeTrack(req: ComposeRequest, onProgress?: (p: StudioProgress) => void): Promise<ComposeResult>;
  trainPersonal(req: TrainRequest, onProgress?: (p: StudioProgress) => void): Promise<TrainResult>;
  listGenres(): string[];
  listInstruments(): string[];
  /** Optional: the mixtape as one recording (pieces rendered and cross-faded), for /mixtape record and the weekly post. */
  recordMixtape?(pieces: RecordPiece[], options?: RecordOptions): Promise<Recording>;
  /** Optional: a stored piece transformed (curves or spectral effects), same seed same audio (/remix). */
  remixTrack?(req: RemixRequest, onProgress?: (p: StudioProgress) => void): Promise<ComposeResult>;
  /** Optional: stored MIDI -> 48 kHz stereo s16 PCM, for voice when the audio is no longer cached. */
  renderPcm?(midi: Uint8Array, opts: { instrument?: string; tempo?: number }): Promise<Int16Array>;
  /** Optional: the same as chunks while it is synthesised, so voice starts after the first seconds (preferred to renderPcm). */
  renderPcmStream?(midi: Uint8Array, opts: { instrument?: string }): AsyncIterable<Int16Array>;
}

/** Bounds on user input; all sizes in bytes. */
export interface BotLimits {
  maxMidiBytes: number;
  maxZipBytes: number;
  maxTrainFiles: number;
  maxZipEntries: number;
  maxUnzippedBytes: number;
  downloadTimeoutMs: number;
  /** Minimum milliseconds between two progress edits of one reply. */
  progressEditMs: number;
  /** Seconds of training a /train may use. */
  trainSeconds: number;
  /** Bytes of audio kept in memory for voice playback. */
  audioCacheBytes: number;
}

export const DEFAULT_LIMITS: BotLimits = {
  maxMidiBytes: 1024 * 1024,
  maxZipBytes: 8 * 1024 * 1024,
  maxTrainFiles: 8,
  maxZipEntries: 200,
  maxUnzippedBytes: 32 * 1024 * 1024,
  downloadTimeoutMs: 15000,
  progressEditMs: 1500,
  trainSeconds: 300,
  audioCacheBytes: 256 * 1024 * 1024,
};

/** What `startBot` needs besides the config. */
export interface BotDeps {
  store: Store;
  /** The in-process scheduler (also under `jobs` when no other queue is given). */
  queue: JobQueue;
  /** The job queue (BullMQ when REDIS_URL is set); the in-process one on `queue` when absent. */
  jobs?: DurableQueue;
  studio: Studio;
  log: Logger;
  limits?: Partial<BotLimits>;
  /** Public base URL of the web pages: track messages get an "Open" link button. */
  webUrl?: string;
  /** The weekly mixtape's scheduler (BullMQ job schedulers with `redisUrl`, a timer otherwise); false: none. */
  weekly?: Omit<WeeklySchedulerOptions, 'deps'> | false;
}

/** What every handler receives. */
export interface BotContext {
  client: Client;
  store: Store;
  queue: JobQueue;
  /** Where compose jobs go (plain data; run here or by a `mixtape worker`). */
  jobs: DurableQueue;
  studio: Studio;
  log: Logger;
  limits: BotLimits;
  voice: VoiceManager;
  audio: AudioCache;
  radio: RadioManager;
  commands: readonly BotCommand[];
  /** Public base URL of the web pages, when they are served. */
  webUrl?: string;
}

/** One slash command: its definition and handlers (one file per command). */
export interface BotCommand {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
}

/** The bot's settings (mapped from the app config by main.ts). */
export interface BotConfig {
  discordToken: string;
  /** REST base, e.g. https://discord.com/api or a local fake's http://127.0.0.1:PORT/api. */
  discordApiUrl?: string;
  /** Register commands in this guild only (instant) instead of globally. */
  devGuildId?: string;
  /** Jobs per guild waiting or running at once (in-process queue). */
  maxJobsPerGuild?: number;
  /** Register slash commands at startup (default true; shards other than 0 leave it to shard 0). */
  registerCommands?: boolean;
  /** Run these shards of `count` in this client (a ShardingManager child learns its shards from the environment instead). */
  shards?: { ids: number[]; count: number };
}
