/**
 * The path every new piece takes (/compose, /continue, the variation and extend buttons):
 * read the guild's settings and admit (a full queue or a database outage answers at once,
 * ephemerally), defer within 3 s, then enqueue the job as plain data. Whichever process runs
 * it (this one, or a `mixtape worker`) shows the queue position and progress and answers by
 * editing the deferred reply over REST.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { RepliableInteraction } from 'discord.js';
import type { ComposeRequest } from '../studio/types.ts';
import type { TrackRecord } from '../storage/types.ts';
import { INTERACTION_TOKEN_MS, type ComposePayload, type JobPayload, type PrimerRef, type ReplyTarget } from '../jobs/payload.ts';
import type { BotContext } from './types.ts';
import { replyError } from './replies.ts';
import { settingsForWork } from './guild.ts';
import { BARS, TEMPERATURE, TEMPO } from './options.ts';

export { ensureMember } from '../jobs/members.ts';

/** What to compose; the model and primer are loaded by the job (they may be slow). */
export interface ComposePlan {
  request: Omit<ComposeRequest, 'model' | 'primerMidi' | 'formats'>;
  /** A model name or id as the member typed it (their own or one shared in the guild). */
  modelName?: string;
  /**
   * A model by id (re-using a track's settings). Resolved with the rights of whoever asks:
   * their own model or one shared in this server, never the track author's private one.
   */
  modelId?: string | null;
  /** The MIDI to continue: an upload's URL or a stored track. */
  primer?: PrimerRef;
  parentTrackId?: string;
  /** The verb shown while working. */
  verb?: string;
}

/** A new job id; it becomes the track's id. @example newJobId() // 'q3Xc9_aZb1Lm' */
export const newJobId = (): string => randomBytes(9).toString('base64url');

/** Where the answer to an interaction goes, as plain data. */
export function replyTargetOf(i: RepliableInteraction): ReplyTarget {
  return {
    applicationId: i.applicationId,
    token: i.token,
    guildId: i.guildId!,
    channelId: i.channelId!,
    userId: i.user.id,
    userName: i.user.username,
    deadline: i.createdTimestamp + INTERACTION_TOKEN_MS,
  };
}

/** The job payload of a plan. */
export function composePayload(i: RepliableInteraction, plan: ComposePlan): ComposePayload {
  return {
    kind: plan.primer?.from === 'url' ? 'continue' : 'compose',
    id: newJobId(),
    reply: replyTargetOf(i),
    request: { ...plan.request, seed: plan.request.seed ?? randomInt(1, 2 ** 31) }, // fixed: a second run makes the same piece
    ...(plan.modelName ? { modelName: plan.modelName } : {}),
    ...(plan.modelId ? { modelId: plan.modelId } : {}),
    ...(plan.primer ? { primer: plan.primer } : {}),
    ...(plan.parentTrackId ? { parentTrackId: plan.parentTrackId } : {}),
    verb: plan.verb ?? 'Composing',
    queuedAt: Date.now(),
  };
}

/** Queues a composition for the interaction; the job answers. Never throws. */
export async function composeAndPost(i: RepliableInteraction, ctx: BotContext, plan: ComposePlan): Promise<void> {
  await queueJob(i, ctx, () => composePayload(i, plan));
}

/** Admits, defers and queues a job for the interaction (any kind); the job answers. Never throws. */
export async function queueJob(i: RepliableInteraction, ctx: BotContext, payload: () => JobPayload): Promise<void> {
  let release: () => void;
  let maxPerUser: number | undefined;
  try {
    const config = await settingsForWork(i, ctx); // the database answers before any work is queued
    maxPerUser = config.maxJobsPerUser ?? undefined;
    release = await ctx.jobs.admit(i.user.id, i.guildId!, { maxPerUser });
  } catch (e) {
    await replyError(i, e, ctx.log); // e.g. LIMIT: answered at once, ephemerally
    return;
  }
  try {
    await i.deferReply();
  } catch (e) {
    release();
    ctx.log.warn({ err: (e as Error).message }, 'could not defer the reply');
    return;
  }
  try {
    await ctx.jobs.enqueue(payload(), { maxPerUser });
  } catch (e) {
    await replyError(i, e, ctx.log);
  }
}

/** What the studio offers, to replay a stored track's settings against. */
export interface StudioChoices {
  instruments: readonly string[];
}

const clamp = (v: number, r: { min: number; max: number }) => Math.min(r.max, Math.max(r.min, v));

/**
 * The settings of a stored track, for "variation" (new seed) and "extend" (continue it).
 * Every stored track replays: an instrument the studio does not list (`default`, the genre's
 * own voicing, or one since removed) becomes "the genre's default", and numbers taken from an
 * uploaded file (a continued piece's tempo or length) are brought into the ranges /compose accepts.
 */
export function planFromTrack(track: TrackRecord, seed: number, extend: boolean, choices: StudioChoices, bars = 8): ComposePlan {
  const instrument = choices.instruments.find((n) => n.toLowerCase() === track.instrument.toLowerCase());
  const topP = track.params.topP;
  return {
    request: {
      genre: track.genre,
      bars: extend ? bars : clamp(Math.round(track.bars), BARS),
      ...(Number.isFinite(track.temperature) ? { temperature: clamp(track.temperature, TEMPERATURE) } : {}),
      ...(Number.isFinite(track.tempo) ? { tempo: clamp(Math.round(track.tempo), TEMPO) } : {}),
      ...(instrument ? { instrument } : {}),
      seed,
      ...(typeof topP === 'number' && topP > 0 && topP <= 1 ? { topP } : {}),
      // A variation keeps the meter and tune type (an extension keeps its primer's anyway).
      ...(typeof track.params.meter === 'string' ? { meter: track.params.meter } : {}),
      ...(typeof track.params.tuneType === 'string' ? { tuneType: track.params.tuneType } : {}),
    },
    modelId: track.modelId,
    primer: extend ? { from: 'track', trackId: track.id } : undefined,
    parentTrackId: track.id,
    verb: extend ? 'Extending' : 'Composing a variation',
  };
}
