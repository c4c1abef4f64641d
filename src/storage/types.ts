/**
 * The Store: everything the bot persists (users, guild settings, tracks, votes, personal
 * models, jobs). Plain objects in and out, string ids, never a Prisma type, so the bot and
 * the tests do not care whether SQLite or PostgreSQL sits underneath.
 *
 * Every method may throw a MixtapeError:
 * - NOT_FOUND for a missing/deleted track or model the caller referred to,
 * - BAD_ARGUMENT for invalid input (e.g. an empty model name, a duplicate model name),
 * - UNAVAILABLE when the database cannot be reached (message never holds connection details).
 */

/** Per-guild settings. `null` means "not set, use the default". */
export interface GuildSettings {
  /** Channel where finished pieces are posted (`/mixtape channel`). */
  mixtapeChannelId: string | null;
  /** Per-guild override of the per-user queue limit. */
  maxJobsPerUser: number | null;
}

/** One change of a guild setting, for the audit log (`/settings log`). */
export interface SettingChangeRecord {
  guildId: string;
  key: string;
  /** The new value (parsed JSON); null when the setting went back to its default. */
  value: unknown;
  /** Who changed it (a Discord user id). */
  userId: string;
  createdAt: Date;
}

/** What `deleteUserData` removed. */
export interface UserDataDeletion {
  tracks: number;
  audio: number;
  votesCast: number;
  votesReceived: number;
  models: number;
  jobs: number;
  profile: boolean;
  /** Where the deleted tracks were posted (to retire those messages). */
  messages: { trackId: string; guildId: string; channelId: string; messageId: string }[];
}

export interface TrackInput {
  /** Optional explicit id; a random one is made when absent. */
  id?: string;
  guildId: string;
  authorId: string;
  /** Set later with `setTrackMessage` once the message is posted. */
  channelId?: string | null;
  messageId?: string | null;
  title: string;
  genre: string;
  /** Personal model used, if any. */
  modelId?: string | null;
  bars: number;
  tempo: number;
  seed: number;
  temperature: number;
  instrument: string;
  /** Any other generation parameters (topP, ...) kept for "variation"/"extend". */
  params?: Record<string, unknown>;
  midi: Uint8Array;
  /** The track this one varies or extends. */
  parentTrackId?: string | null;
}

export interface TrackRecord {
  id: string;
  guildId: string;
  channelId: string | null;
  messageId: string | null;
  authorId: string;
  title: string;
  genre: string;
  modelId: string | null;
  bars: number;
  tempo: number;
  seed: number;
  temperature: number;
  instrument: string;
  params: Record<string, unknown>;
  midi: Uint8Array;
  parentTrackId: string | null;
  createdAt: Date;
}

/** A vote value: +1 up, -1 down, 0 removes the user's vote. */
export type VoteValue = 1 | -1 | 0;

export interface VoteTally {
  up: number;
  down: number;
  /** up - down */
  score: number;
}

export interface LeaderboardQuery {
  guildId: string;
  /** Only votes cast (or changed) at or after this instant count. All time when absent. */
  since?: Date;
  genre?: string;
  /** How many rows (1..100). */
  limit: number;
}

export interface LeaderboardEntry {
  /** 1-based. */
  rank: number;
  trackId: string;
  title: string;
  authorId: string;
  genre: string;
  score: number;
  up: number;
  down: number;
  createdAt: Date;
  channelId: string | null;
  messageId: string | null;
}

/** A track as shown in a profile (no MIDI bytes). */
export interface TrackSummary {
  id: string;
  title: string;
  genre: string;
  createdAt: Date;
  channelId: string | null;
  messageId: string | null;
  score: number;
}

export interface UserProfile {
  /** Non-deleted tracks the user authored (in the guild when given). */
  tracks: number;
  /** Votes other users cast on the user's tracks. */
  votesReceived: { up: number; down: number };
  /** Personal models the user owns. */
  models: number;
  /** Newest first, at most 5. */
  recentTracks: TrackSummary[];
}

export interface ModelInput {
  /** Optional explicit id (a training job's id, so a job run twice makes one model); a random one when absent. */
  id?: string;
  ownerId: string;
  name: string;
  baseGenre: string;
  /** What kind of model: e.g. 'lstm-finetune'. */
  kind: string;
  weights: Uint8Array;
  card: Record<string, unknown>;
  shared?: boolean;
  /** The guild where it was trained / is shared. */
  guildId?: string | null;
}

/** A personal model without its weights (use `getModelWeights` for the bytes). */
export interface ModelRecord {
  id: string;
  ownerId: string;
  name: string;
  baseGenre: string;
  kind: string;
  card: Record<string, unknown>;
  shared: boolean;
  guildId: string | null;
  sizeBytes: number;
  createdAt: Date;
}

export interface ListModelsOptions {
  /** Also list models other users shared in this guild. */
  includeSharedInGuild?: string;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface JobInput {
  /** Optional explicit id (e.g. the queue's id); a random one is made when absent. */
  id?: string;
  kind: string;
  userId: string;
  guildId?: string | null;
  /** The job as plain data (JSON-serialisable), kept so another process or a restart can run it. */
  payload?: unknown;
}

export interface JobPatch {
  status?: JobStatus;
  /** 0..1 */
  progress?: number;
  error?: string | null;
  /** Count one more start of the job. */
  started?: boolean;
}

export interface JobRecord {
  id: string;
  kind: string;
  userId: string;
  guildId: string | null;
  status: JobStatus;
  progress: number;
  error: string | null;
  /** The parsed payload (null when the job was recorded without one). */
  payload: unknown;
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface UserRecord {
  id: string;
  name: string;
}

export interface Store {
  /** Which database is underneath. */
  readonly provider: 'sqlite' | 'postgresql';

  /** Create or rename a Discord user. */
  upsertUser(id: string, name: string): Promise<UserRecord>;
  /** The users with these ids that are known (for names on web pages); unknown ids are left out. */
  getUsers(ids: string[]): Promise<UserRecord[]>;
  /** Make sure the guild row exists. */
  upsertGuild(id: string): Promise<void>;
  /** The guild's settings (defaults when the guild is unknown). */
  getGuildSettings(guildId: string): Promise<GuildSettings>;
  /** Change some settings; returns the new settings. */
  setGuildSettings(guildId: string, patch: Partial<GuildSettings>): Promise<GuildSettings>;

  /** A guild's stored settings: key -> parsed JSON value (keys without a row are absent). See src/settings. */
  getSettings(guildId: string): Promise<Record<string, unknown>>;
  /**
   * Set one setting (value: JSON-serialisable; null = back to the default) and log who did it,
   * both in one transaction.
   */
  setSetting(guildId: string, key: string, value: unknown, byUserId: string): Promise<void>;
  /** The guild's setting changes, newest first (1..100). */
  settingChanges(guildId: string, limit: number): Promise<SettingChangeRecord[]>;

  /** Store a finished piece. */
  createTrack(input: TrackInput): Promise<TrackRecord>;
  /** Remember where the piece was posted. Throws NOT_FOUND for a missing track. */
  setTrackMessage(trackId: string, channelId: string, messageId: string): Promise<void>;
  /** The track, or null when missing or deleted. */
  getTrack(trackId: string): Promise<TrackRecord | null>;
  /**
   * Delete a track: only the author or an admin. True when it was deleted by this call. Its
   * MIDI, stored audio, title, settings and votes are removed; a tombstone row stays (id,
   * server, author, genre, dates) so variations keep a valid parent and the id is never reused.
   */
  deleteTrack(trackId: string, byUserId: string, isAdmin: boolean): Promise<boolean>;
  /** What `deleteUserData` would remove (live tracks, votes cast, models). */
  userDataSummary(userId: string): Promise<{ tracks: number; votesCast: number; models: number }>;
  /**
   * Remove everything of a member, in every server, in one transaction: their tracks (rows,
   * MIDI, audio, the votes on them), the votes they cast, their models, their jobs and their
   * user row. Other members' variations of their tracks stay (without the parent link).
   */
  deleteUserData(userId: string): Promise<UserDataDeletion>;

  /*
   * Votes: the author's own vote NEVER counts, in every tally, leaderboard and profile (the rule
   * lives here, in the queries, so every page built on the Store agrees). Casting one is refused
   * with BAD_ARGUMENT.
   */
  /** Cast, change (+1/-1) or remove (0) the user's vote; returns the new tally. */
  vote(trackId: string, userId: string, value: VoteValue): Promise<VoteTally>;
  /** Current tally of a track (zeros when it has no votes). */
  trackScore(trackId: string): Promise<VoteTally>;
  /** Top tracks of a guild, one query. */
  leaderboard(query: LeaderboardQuery): Promise<LeaderboardEntry[]>;
  /** A member's numbers, in a guild or everywhere. */
  userProfile(userId: string, guildId?: string): Promise<UserProfile>;

  /** Save a personal model; BAD_ARGUMENT when the owner already has one of that name. */
  createModel(input: ModelInput): Promise<ModelRecord>;
  /** The owner's models (and, optionally, those shared in a guild), newest first. */
  listModels(ownerId: string, options?: ListModelsOptions): Promise<ModelRecord[]>;
  /**
   * A model by id or by name: the caller's own, or one shared in `guildId` (the only way to
   * reach someone else's model: without a guild, only the caller's own); null when none.
   */
  getModel(idOrName: string, ownerId: string, guildId?: string): Promise<ModelRecord | null>;
  /** The weights blob; NOT_FOUND when the model does not exist. */
  getModelWeights(id: string): Promise<Uint8Array>;
  /** Rename one of the owner's models; NOT_FOUND / BAD_ARGUMENT (name taken). */
  renameModel(id: string, ownerId: string, newName: string): Promise<ModelRecord>;
  /** Delete one of the owner's models; false when it was not theirs / not there. */
  deleteModel(id: string, ownerId: string): Promise<boolean>;
  /** Share (with `guildId`, when given: one server only) or unshare one of the owner's models; NOT_FOUND when not theirs. */
  setModelShared(id: string, ownerId: string, shared: boolean, guildId?: string): Promise<ModelRecord>;

  /** Record a job (status queued). */
  createJob(input: JobInput): Promise<JobRecord>;
  /** Update status/progress/error; NOT_FOUND for an unknown job. */
  updateJob(id: string, patch: JobPatch): Promise<JobRecord>;
  /** The job or null. */
  getJob(id: string): Promise<JobRecord | null>;
  /** Jobs in these states, oldest first (at most `limit`, default 500). */
  listJobs(statuses: readonly JobStatus[], limit?: number): Promise<JobRecord[]>;

  /** Keep a track's Ogg/Opus audio (replacing any), for voice in any process. */
  setTrackAudio(trackId: string, ogg: Uint8Array): Promise<void>;
  /** The track's stored Ogg/Opus audio, or null. */
  getTrackAudio(trackId: string): Promise<Uint8Array | null>;

  /** Guilds that set a setting, with its stored value (the weekly mixtape's schedule). */
  guildsWithSetting(key: string): Promise<{ guildId: string; value: unknown }[]>;
  /**
   * Claims the guild's weekly post for an ISO week before it is made: true for the first
   * claimer, and for a claim older than `staleMs` that never posted (a crash mid-way); false
   * otherwise, so a week is posted once even across restarts and processes.
   */
  claimWeeklyPost(guildId: string, week: string, staleMs: number): Promise<boolean>;
  /** Records where the claimed week's post went. */
  finishWeeklyPost(guildId: string, week: string, channelId: string, messageId: string): Promise<void>;
  /** Gives up an unposted claim (the recording failed), so a later try may post. */
  releaseWeeklyPost(guildId: string, week: string): Promise<void>;
  /** The week's post, if claimed. */
  getWeeklyPost(guildId: string, week: string): Promise<{ channelId: string | null; messageId: string | null; claimedAt: Date } | null>;

  /** Health check: resolves when the database answers, throws UNAVAILABLE otherwise. */
  ping(): Promise<void>;
  /** Release connections. */
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** `file:...` or undefined -> SQLite (default `data/mixtape.db`); `postgres(ql)://...` -> PostgreSQL. */
  databaseUrl?: string;
  /** Deadline of every call, in ms (default 5000): past it, the call fails with UNAVAILABLE. */
  timeoutMs?: number;
}
