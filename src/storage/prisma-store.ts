/**
 * The Store on top of a generated Prisma client. Both providers' clients have the same
 * model API, so one implementation serves SQLite and PostgreSQL; the only raw SQL (the
 * leaderboard) is written to run unchanged on both.
 */
import { randomBytes } from 'node:crypto';
import { MixtapeError } from '../engine/errors.ts';
import { Prisma, type PrismaClient } from '../generated/sqlite/client.ts';
import { guard, isUniqueViolation } from './errors.ts';
import type {
  GuildSettings,
  JobInput,
  JobPatch,
  JobRecord,
  JobStatus,
  LeaderboardEntry,
  LeaderboardQuery,
  ListModelsOptions,
  ModelRecord,
  SettingChangeRecord,
  UserDataDeletion,
  Store,
  TrackInput,
  TrackRecord,
  TrackSummary,
  UserProfile,
  UserRecord,
  VoteTally,
  VoteValue,
} from './types.ts';

/** Both generated clients share this shape; the SQLite one names it. */
export type AnyPrismaClient = PrismaClient;

const MODEL_NAME_MAX = 32;
const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'done', 'failed'];

/** What a member hears when voting on their own piece; such votes are never stored nor counted. */
export const SELF_VOTE_MESSAGE = "your own pieces can't get your vote; ask others to listen and vote";

/** A short random id (12 url-safe characters), fit for Discord custom ids. */
export const newId = (): string => randomBytes(9).toString('base64url');

/** Build a Store around a connected client. `onClose` releases what the client does not own. */
export function createPrismaStore(
  db: AnyPrismaClient,
  provider: Store['provider'],
  onClose: () => Promise<void> = async () => undefined,
): Store {
  const liveTrack = async (trackId: string) => {
    const track = await db.track.findFirst({ where: { id: trackId, deletedAt: null }, select: { id: true, authorId: true } });
    if (!track) throw new MixtapeError('NOT_FOUND', `track ${trackId} does not exist or was deleted`);
    return track;
  };

  // Self-votes never count (SELF_VOTES_DO_NOT_COUNT): every tally leaves out the author's own vote.
  const tally = async (trackId: string): Promise<VoteTally> => {
    const track = await db.track.findUnique({ where: { id: trackId }, select: { authorId: true } });
    if (!track) return { up: 0, down: 0, score: 0 };
    const groups = await db.vote.groupBy({ by: ['value'], where: { trackId, userId: { not: track.authorId } }, _count: { _all: true } });
    return tallyOf(groups.map((g) => ({ value: g.value, count: g._count._all })));
  };

  const modelRow = async (id: string, ownerId: string) => {
    const row = await db.personalModel.findFirst({ where: { id, ownerId }, omit: { weights: true } });
    if (!row) throw new MixtapeError('NOT_FOUND', `you have no model ${id} — see /model list`);
    return row;
  };

  const store: Store = {
    provider,

    upsertUser: (id, name) =>
      guard(async () => {
        const row = await retryOnRace(() =>
          db.user.upsert({ where: { id }, create: { id, name, updatedAt: new Date() }, update: { name, updatedAt: new Date() } }),
        );
        return { id: row.id, name: row.name } satisfies UserRecord;
      }),

    getUsers: (ids) =>
      guard(async () => {
        const unique = [...new Set(ids)].slice(0, 1000);
        if (!unique.length) return [];
        const rows = await db.user.findMany({ where: { id: { in: unique } }, select: { id: true, name: true } });
        return rows.map((r) => ({ id: r.id, name: r.name }) satisfies UserRecord);
      }),

    upsertGuild: (id) =>
      guard(async () => {
        await retryOnRace(() => db.guild.upsert({ where: { id }, create: { id, updatedAt: new Date() }, update: {} }));
      }),

    // The two typed settings of the first release, now kept with all the others in guild_settings.
    getGuildSettings: (guildId) => guard(async () => legacySettings(await storedSettings(db, guildId))),

    setGuildSettings: (guildId, patch) =>
      guard(async () => {
        const data = settingsPatch(patch);
        if (data.mixtapeChannelId !== undefined) await writeSetting(db, guildId, 'mixtapeChannel', data.mixtapeChannelId, 'system');
        if (data.maxJobsPerUser !== undefined) await writeSetting(db, guildId, 'maxJobsPerUser', data.maxJobsPerUser, 'system');
        return legacySettings(await storedSettings(db, guildId));
      }),

    getSettings: (guildId) => guard(() => storedSettings(db, guildId)),

    setSetting: (guildId, key, value, byUserId) => guard(() => writeSetting(db, guildId, key, value, byUserId)),

    settingChanges: (guildId, limit) =>
      guard(async () => {
        const take = Math.trunc(limit);
        if (!Number.isFinite(take) || take < 1 || take > 100) throw new MixtapeError('BAD_ARGUMENT', 'ask for 1 to 100 setting changes');
        const rows = await db.settingChange.findMany({ where: { guildId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take });
        return rows.map((r): SettingChangeRecord => ({
          guildId: r.guildId, key: r.key, value: r.value === null ? null : parseValue(r.value), userId: r.userId, createdAt: r.createdAt,
        }));
      }),

    createTrack: (input) =>
      guard(async () => {
        const row = await db.track.create({ data: trackData(input) });
        return trackOf(row);
      }),

    setTrackMessage: (trackId, channelId, messageId) =>
      guard(async () => {
        const { count } = await db.track.updateMany({ where: { id: trackId }, data: { channelId, messageId } });
        if (count === 0) throw new MixtapeError('NOT_FOUND', `track ${trackId} does not exist`);
      }),

    getTrack: (trackId) =>
      guard(async () => {
        const row = await db.track.findFirst({ where: { id: trackId, deletedAt: null } });
        return row ? trackOf(row) : null;
      }),

    // A tombstone stays (id, server, author, genre, dates: variations keep a valid parent and
    // the id is never reused); the MIDI, audio, title, settings and votes go, in one transaction.
    deleteTrack: (trackId, byUserId, isAdmin) =>
      guard(() =>
        db.$transaction(async (tx) => {
          const who = isAdmin ? {} : { authorId: byUserId };
          const { count } = await tx.track.updateMany({
            where: { id: trackId, deletedAt: null, ...who },
            data: { deletedAt: new Date(), title: '', params: '{}', midi: new Uint8Array(0), channelId: null, messageId: null },
          });
          if (count === 0) return false;
          await tx.trackAudio.deleteMany({ where: { trackId } });
          await tx.vote.deleteMany({ where: { trackId } });
          return true;
        }),
      ),

    deleteUserData: (userId) =>
      guard(() =>
        db.$transaction(async (tx) => {
          const tracks = await tx.track.findMany({ where: { authorId: userId }, select: { id: true, guildId: true, channelId: true, messageId: true } });
          const ids = tracks.map((t) => t.id);
          const audio = ids.length ? await tx.trackAudio.deleteMany({ where: { trackId: { in: ids } } }) : { count: 0 };
          const votesOnTracks = ids.length ? await tx.vote.deleteMany({ where: { trackId: { in: ids } } }) : { count: 0 };
          const votes = await tx.vote.deleteMany({ where: { userId } });
          // Other members' variations keep their music; their parent link is cleared (FK: SET NULL).
          const deletedTracks = await tx.track.deleteMany({ where: { authorId: userId } });
          const models = await tx.personalModel.deleteMany({ where: { ownerId: userId } });
          const jobs = await tx.job.deleteMany({ where: { userId } });
          const user = await tx.user.deleteMany({ where: { id: userId } });
          return {
            tracks: deletedTracks.count, audio: audio.count, votesCast: votes.count, votesReceived: votesOnTracks.count,
            models: models.count, jobs: jobs.count, profile: user.count > 0,
            messages: tracks.flatMap((t) => (t.channelId && t.messageId ? [{ trackId: t.id, guildId: t.guildId, channelId: t.channelId, messageId: t.messageId }] : [])),
          } satisfies UserDataDeletion;
        }),
      ),

    userDataSummary: (userId) =>
      guard(async () => {
        const [tracks, votesCast, models] = await Promise.all([
          db.track.count({ where: { authorId: userId, deletedAt: null } }),
          db.vote.count({ where: { userId } }),
          db.personalModel.count({ where: { ownerId: userId } }),
        ]);
        return { tracks, votesCast, models };
      }),

    vote: (trackId, userId, value) =>
      guard(async () => {
        checkVoteValue(value);
        const track = await liveTrack(trackId);
        if (value !== 0 && track.authorId === userId) throw new MixtapeError('BAD_ARGUMENT', SELF_VOTE_MESSAGE);
        if (value === 0) {
          await db.vote.deleteMany({ where: { trackId, userId } });
        } else {
          await castVote(db, trackId, userId, value);
        }
        return tally(trackId);
      }),

    trackScore: (trackId) => guard(() => tally(trackId)),

    leaderboard: (query) => guard(() => leaderboard(db, query)),

    userProfile: (userId, guildId) => guard(() => userProfile(db, userId, guildId)),

    createModel: (input) =>
      guard(async () => {
        const name = checkModelName(input.name);
        try {
          const row = await db.personalModel.create({
            data: {
              id: input.id ?? newId(),
              ownerId: input.ownerId,
              name,
              baseGenre: input.baseGenre,
              kind: input.kind,
              weights: bytes(input.weights),
              card: JSON.stringify(input.card ?? {}),
              shared: input.shared ?? false,
              guildId: input.guildId ?? null,
              createdAt: new Date(),
            },
            omit: { weights: true },
          });
          return modelOf(row, input.weights.byteLength);
        } catch (e) {
          if (isUniqueViolation(e)) throw nameTaken(name);
          throw e;
        }
      }),

    listModels: (ownerId, options = {}) =>
      guard(async () => {
        const rows = await db.personalModel.findMany({
          where: { OR: [{ ownerId }, ...sharedIn(options)] },
          omit: { weights: true },
          orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        });
        return withSizes(db, rows);
      }),

    getModel: (idOrName, ownerId, guildId) =>
      guard(async () => {
        // Usable by its owner, and by others only in the server it is shared with (no guild = nobody else).
        const visible = { OR: [{ ownerId }, ...(guildId ? [{ shared: true, guildId }] : [])] };
        const rows = await db.personalModel.findMany({
          where: { AND: [visible, { OR: [{ id: idOrName }, { name: idOrName.trim() }] }] },
          omit: { weights: true },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        });
        // An exact id wins, then the caller's own model of that name, then a shared one.
        const best =
          rows.find((r) => r.id === idOrName) ?? rows.find((r) => r.ownerId === ownerId) ?? rows[0];
        return best ? (await withSizes(db, [best]))[0]! : null;
      }),

    getModelWeights: (id) =>
      guard(async () => {
        const row = await db.personalModel.findUnique({ where: { id }, select: { weights: true } });
        if (!row) throw new MixtapeError('NOT_FOUND', `model ${id} does not exist`);
        return new Uint8Array(row.weights);
      }),

    renameModel: (id, ownerId, newName) =>
      guard(async () => {
        const name = checkModelName(newName);
        await modelRow(id, ownerId);
        try {
          const row = await db.personalModel.update({ where: { id }, data: { name }, omit: { weights: true } });
          return (await withSizes(db, [row]))[0]!;
        } catch (e) {
          if (isUniqueViolation(e)) throw nameTaken(name);
          throw e;
        }
      }),

    deleteModel: (id, ownerId) =>
      guard(async () => {
        const { count } = await db.personalModel.deleteMany({ where: { id, ownerId } });
        return count > 0;
      }),

    setModelShared: (id, ownerId, shared, guildId) =>
      guard(async () => {
        await modelRow(id, ownerId);
        // Sharing is with one server: the one named (or the one it was trained in).
        const data = shared && guildId ? { shared, guildId } : { shared };
        const row = await db.personalModel.update({ where: { id }, data, omit: { weights: true } });
        return (await withSizes(db, [row]))[0]!;
      }),

    createJob: (input) => guard(async () => jobOf(await db.job.create({ data: jobData(input) }))),

    updateJob: (id, patch) =>
      guard(async () => {
        const data = jobPatch(patch);
        const { count } = await db.job.updateMany({ where: { id }, data });
        if (count === 0) throw new MixtapeError('NOT_FOUND', `job ${id} does not exist`);
        return jobOf((await db.job.findUniqueOrThrow({ where: { id } })));
      }),

    getJob: (id) =>
      guard(async () => {
        const row = await db.job.findUnique({ where: { id } });
        return row ? jobOf(row) : null;
      }),

    listJobs: (statuses, limit = 500) =>
      guard(async () => {
        const rows = await db.job.findMany({ where: { status: { in: [...statuses] } }, orderBy: { createdAt: 'asc' }, take: limit });
        return rows.map(jobOf);
      }),

    setTrackAudio: (trackId, ogg) =>
      guard(async () => {
        const bytes = new Uint8Array(ogg);
        await db.trackAudio.upsert({ where: { trackId }, create: { trackId, ogg: bytes }, update: { ogg: bytes } });
      }),

    getTrackAudio: (trackId) =>
      guard(async () => {
        const row = await db.trackAudio.findUnique({ where: { trackId } });
        return row ? new Uint8Array(row.ogg) : null;
      }),

    guildsWithSetting: (key) =>
      guard(async () => {
        const rows = await db.guildSetting.findMany({ where: { key }, select: { guildId: true, value: true } });
        return rows.map((r) => ({ guildId: r.guildId, value: parseValue(r.value) }));
      }),

    claimWeeklyPost: (guildId, week, staleMs) =>
      guard(async () => {
        try {
          await db.weeklyPost.create({ data: { guildId, week, claimedAt: new Date() } });
          return true;
        } catch (e) {
          if (!isUniqueViolation(e)) throw e;
        }
        // Taken: only a stale claim that never posted may be taken over, by one claimer.
        const taken = await db.weeklyPost.updateMany({
          where: { guildId, week, messageId: null, claimedAt: { lt: new Date(Date.now() - staleMs) } },
          data: { claimedAt: new Date() },
        });
        return taken.count === 1;
      }),

    finishWeeklyPost: (guildId, week, channelId, messageId) =>
      guard(async () => {
        await db.weeklyPost.update({ where: { guildId_week: { guildId, week } }, data: { channelId, messageId } });
      }),

    releaseWeeklyPost: (guildId, week) =>
      guard(async () => {
        await db.weeklyPost.deleteMany({ where: { guildId, week, messageId: null } });
      }),

    getWeeklyPost: (guildId, week) =>
      guard(async () => {
        const row = await db.weeklyPost.findUnique({ where: { guildId_week: { guildId, week } } });
        return row ? { channelId: row.channelId, messageId: row.messageId, claimedAt: row.claimedAt } : null;
      }),

    ping: () =>
      guard(async () => {
        await db.$queryRaw`SELECT 1`;
      }),

    close: async () => {
      await db.$disconnect().catch(() => undefined);
      await onClose();
    },
  };
  return store;
}

/**
 * Insert the vote, or change it when the user already voted. A double click races two
 * inserts: the unique key lets one win and the other falls back to the update, which is a
 * no-op for the same value (its timestamp stays, so a re-click does not move the vote
 * into a newer leaderboard window).
 */
async function castVote(db: AnyPrismaClient, trackId: string, userId: string, value: 1 | -1): Promise<void> {
  const now = new Date();
  const change = () =>
    db.vote.updateMany({ where: { trackId, userId, value: { not: value } }, data: { value, updatedAt: now } });
  const existing = await db.vote.findUnique({ where: { trackId_userId: { trackId, userId } }, select: { value: true } });
  if (existing) {
    await change();
    return;
  }
  try {
    await db.vote.create({ data: { trackId, userId, value, createdAt: now, updatedAt: now } });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    await change();
  }
}

interface LeaderboardRow {
  id: string;
  title: string;
  author_id: string;
  genre: string;
  created_at: Date | string;
  channel_id: string | null;
  message_id: string | null;
  up: number | bigint;
  down: number | bigint;
  score: number | bigint;
}

/**
 * One round trip: the votes cast in the window, summed per live track of the guild; the
 * author's own vote never counts.
 * Ties: more upvotes first, then the earlier track. Served by votes(updated_at, track_id)
 * and the tracks primary key.
 */
async function leaderboard(db: AnyPrismaClient, query: LeaderboardQuery): Promise<LeaderboardEntry[]> {
  const limit = Math.trunc(query.limit);
  if (!Number.isFinite(limit) || limit < 1 || limit > 100) {
    throw new MixtapeError('BAD_ARGUMENT', 'the leaderboard limit must be between 1 and 100');
  }
  const since = query.since ?? new Date(0);
  const genre = query.genre ? Prisma.sql`AND t.genre = ${query.genre}` : Prisma.empty;
  const rows = await db.$queryRaw<LeaderboardRow[]>`
    SELECT t.id, t.title, t.author_id, t.genre, t.created_at, t.channel_id, t.message_id,
           CAST(SUM(CASE WHEN v.value > 0 THEN 1 ELSE 0 END) AS INTEGER) AS up,
           CAST(SUM(CASE WHEN v.value < 0 THEN 1 ELSE 0 END) AS INTEGER) AS down,
           CAST(SUM(v.value) AS INTEGER) AS score
    FROM votes v
    JOIN tracks t ON t.id = v.track_id
    WHERE v.updated_at >= ${since} AND t.guild_id = ${query.guildId} AND t.deleted_at IS NULL AND v.user_id <> t.author_id ${genre}
    GROUP BY t.id, t.title, t.author_id, t.genre, t.created_at, t.channel_id, t.message_id
    ORDER BY score DESC, up DESC, t.created_at ASC, t.id ASC
    LIMIT ${limit}`;
  return rows.map((r, i) => ({
    rank: i + 1,
    trackId: r.id,
    title: r.title,
    authorId: r.author_id,
    genre: r.genre,
    score: Number(r.score),
    up: Number(r.up),
    down: Number(r.down),
    createdAt: new Date(r.created_at),
    channelId: r.channel_id,
    messageId: r.message_id,
  }));
}

async function userProfile(db: AnyPrismaClient, userId: string, guildId?: string): Promise<UserProfile> {
  const mine = { authorId: userId, deletedAt: null, ...(guildId ? { guildId } : {}) };
  const [tracks, received, models, recent] = await Promise.all([
    db.track.count({ where: mine }),
    db.vote.groupBy({ by: ['value'], where: { track: mine, userId: { not: userId } }, _count: { _all: true } }),
    db.personalModel.count({ where: { ownerId: userId } }),
    db.track.findMany({
      where: mine,
      select: { id: true, title: true, genre: true, createdAt: true, channelId: true, messageId: true },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: 5,
    }),
  ]);
  const scores = recent.length
    ? await db.vote.groupBy({ by: ['trackId'], where: { trackId: { in: recent.map((t) => t.id) }, userId: { not: userId } }, _sum: { value: true } })
    : [];
  const scoreOf = new Map(scores.map((s) => [s.trackId, s._sum.value ?? 0]));
  const t = tallyOf(received.map((g) => ({ value: g.value, count: g._count._all })));
  return {
    tracks,
    votesReceived: { up: t.up, down: t.down },
    models,
    recentTracks: recent.map((r): TrackSummary => ({ ...r, score: scoreOf.get(r.id) ?? 0 })),
  };
}

/** The weights' sizes, read without loading the blobs (one query). */
async function withSizes(
  db: AnyPrismaClient,
  rows: Omit<Prisma.PersonalModelModel, 'weights'>[],
): Promise<ModelRecord[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const sizes = await db.$queryRaw<{ id: string; size: number | bigint }[]>`
    SELECT id, CAST(LENGTH(weights) AS INTEGER) AS size FROM personal_models WHERE id IN (${Prisma.join(ids)})`;
  const sizeOf = new Map(sizes.map((s) => [s.id, Number(s.size)]));
  return rows.map((r) => modelOf(r, sizeOf.get(r.id) ?? 0));
}

const sharedIn = (options: ListModelsOptions) =>
  options.includeSharedInGuild
    ? [{ shared: true, guildId: options.includeSharedInGuild }]
    : [];

/** Retry once when a concurrent insert of the same key won the race (the retry updates). */
async function retryOnRace<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    return fn();
  }
}

function tallyOf(groups: { value: number; count: number }[]): VoteTally {
  let up = 0;
  let down = 0;
  for (const g of groups) {
    if (g.value > 0) up += g.count;
    else if (g.value < 0) down += g.count;
  }
  return { up, down, score: up - down };
}

function checkVoteValue(value: number): asserts value is VoteValue {
  if (value !== 1 && value !== -1 && value !== 0) {
    throw new MixtapeError('BAD_ARGUMENT', `a vote is 1, -1 or 0 (remove), not ${value}`);
  }
}

function checkModelName(raw: string): string {
  const name = (raw ?? '').trim();
  if (name.length === 0 || name.length > MODEL_NAME_MAX || /[\n\r\t]/.test(name)) {
    throw new MixtapeError('BAD_ARGUMENT', `a model name is 1 to ${MODEL_NAME_MAX} characters on one line`);
  }
  return name;
}

const nameTaken = (name: string) =>
  new MixtapeError('BAD_ARGUMENT', `you already have a model named "${name}" — pick another name`);

/** A Uint8Array backed by a plain ArrayBuffer, as Prisma's Bytes input wants. */
const bytes = (data: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(data);

/** key -> parsed value of a guild's stored settings. */
async function storedSettings(db: AnyPrismaClient, guildId: string): Promise<Record<string, unknown>> {
  const rows = await db.guildSetting.findMany({ where: { guildId }, select: { key: true, value: true } });
  return Object.fromEntries(rows.map((r) => [r.key, parseValue(r.value)]));
}

/** Writes (or, for null, removes) one setting and its audit row in one transaction. */
async function writeSetting(db: AnyPrismaClient, guildId: string, key: string, value: unknown, userId: string): Promise<void> {
  if (!/^[A-Za-z][A-Za-z0-9]{0,39}$/.test(key)) throw new MixtapeError('BAD_ARGUMENT', `"${key}" is not a setting name`);
  const now = new Date();
  const json = value === null || value === undefined ? null : JSON.stringify(value);
  if (json !== null && json.length > 2000) throw new MixtapeError('BAD_ARGUMENT', 'a setting value is at most 2000 characters');
  const write = json === null
    ? db.guildSetting.deleteMany({ where: { guildId, key } })
    : db.guildSetting.upsert({
        where: { guildId_key: { guildId, key } },
        create: { guildId, key, value: json, updatedBy: userId, updatedAt: now },
        update: { value: json, updatedBy: userId, updatedAt: now },
      });
  await db.$transaction([write, db.settingChange.create({ data: { id: newId(), guildId, key, value: json, userId, createdAt: now } })]);
}

function legacySettings(stored: Record<string, unknown>): GuildSettings {
  const channel = stored.mixtapeChannel;
  const jobs = stored.maxJobsPerUser;
  return { mixtapeChannelId: typeof channel === 'string' ? channel : null, maxJobsPerUser: typeof jobs === 'number' ? jobs : null };
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function settingsPatch(patch: Partial<GuildSettings>): Partial<GuildSettings> {
  const data: Partial<GuildSettings> = {};
  if (patch.mixtapeChannelId !== undefined) data.mixtapeChannelId = patch.mixtapeChannelId;
  if (patch.maxJobsPerUser !== undefined) {
    const n = patch.maxJobsPerUser;
    if (n !== null && (!Number.isInteger(n) || n < 1 || n > 100)) {
      throw new MixtapeError('BAD_ARGUMENT', 'the per-user job limit must be a whole number from 1 to 100');
    }
    data.maxJobsPerUser = n;
  }
  return data;
}

function trackData(input: TrackInput) {
  if (!input.guildId || !input.authorId) throw new MixtapeError('BAD_ARGUMENT', 'a track needs a guild and an author');
  if (!Number.isFinite(input.seed)) throw new MixtapeError('BAD_ARGUMENT', 'a track seed must be a number');
  return {
    id: input.id ?? newId(),
    guildId: input.guildId,
    authorId: input.authorId,
    channelId: input.channelId ?? null,
    messageId: input.messageId ?? null,
    title: input.title,
    genre: input.genre,
    modelId: input.modelId ?? null,
    bars: Math.trunc(input.bars),
    tempo: input.tempo,
    seed: BigInt(Math.trunc(input.seed)),
    temperature: input.temperature,
    instrument: input.instrument,
    params: JSON.stringify(input.params ?? {}),
    midi: bytes(input.midi),
    parentTrackId: input.parentTrackId ?? null,
    createdAt: new Date(),
  };
}

function trackOf(row: Prisma.TrackModel): TrackRecord {
  return {
    id: row.id,
    guildId: row.guildId,
    channelId: row.channelId,
    messageId: row.messageId,
    authorId: row.authorId,
    title: row.title,
    genre: row.genre,
    modelId: row.modelId,
    bars: row.bars,
    tempo: row.tempo,
    seed: Number(row.seed),
    temperature: row.temperature,
    instrument: row.instrument,
    params: parseJson(row.params),
    midi: new Uint8Array(row.midi),
    parentTrackId: row.parentTrackId,
    createdAt: row.createdAt,
  };
}

function modelOf(row: Omit<Prisma.PersonalModelModel, 'weights'>, sizeBytes: number): ModelRecord {
  return {
    id: row.id,
    ownerId: row.ownerId,
    name: row.name,
    baseGenre: row.baseGenre,
    kind: row.kind,
    card: parseJson(row.card),
    shared: row.shared,
    guildId: row.guildId,
    sizeBytes,
    createdAt: row.createdAt,
  };
}

function jobData(input: JobInput) {
  const now = new Date();
  return {
    id: input.id ?? newId(),
    kind: input.kind,
    userId: input.userId,
    guildId: input.guildId ?? null,
    status: 'queued',
    progress: 0,
    payload: input.payload === undefined ? null : JSON.stringify(input.payload),
    createdAt: now,
    updatedAt: now,
  };
}

function jobPatch(patch: JobPatch) {
  if (patch.status !== undefined && !JOB_STATUSES.includes(patch.status)) {
    throw new MixtapeError('BAD_ARGUMENT', `a job status is one of ${JOB_STATUSES.join(', ')}`);
  }
  const progress = patch.progress === undefined ? undefined : Math.min(1, Math.max(0, patch.progress || 0));
  return { status: patch.status, progress, error: patch.error, updatedAt: new Date(), ...(patch.started ? { attempts: { increment: 1 } } : {}) };
}

function jobOf(row: Prisma.JobModel): JobRecord {
  return {
    id: row.id,
    kind: row.kind,
    userId: row.userId,
    guildId: row.guildId,
    status: (JOB_STATUSES as readonly string[]).includes(row.status) ? (row.status as JobStatus) : 'failed',
    progress: row.progress,
    error: row.error,
    payload: row.payload === null ? null : parseAny(row.payload),
    attempts: row.attempts,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function parseAny(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
