/**
 * The path every new piece takes (/compose, /continue, the variation and extend buttons):
 * queue the work (a full queue answers at once, ephemerally), defer within 3 s, show the
 * queue position and progress, then post the track message and remember it.
 */
import type { RepliableInteraction } from 'discord.js';
import { MixtapeError } from '../engine/errors.ts';
import type { ComposeRequest, ComposeResult, PersonalModelRef } from '../studio/types.ts';
import type { Store, TrackRecord } from '../storage/types.ts';
import type { BotContext } from './types.ts';
import { followJob, progressReply } from './progress.ts';
import { replyError } from './replies.ts';
import { trackMessage } from './track-message.ts';
import { isOggOpus } from './voice/loader.ts';
import { settingsForWork } from './guild.ts';
import { BARS, TEMPERATURE, TEMPO } from './options.ts';

/** What to compose; the model and primer are loaded inside the job (they may be slow). */
export interface ComposePlan {
  request: Omit<ComposeRequest, 'model' | 'primerMidi' | 'formats'>;
  /** A model name or id as the member typed it (their own or one shared in the guild). */
  modelName?: string;
  /**
   * A model by id (re-using a track's settings). Resolved with the rights of whoever asks:
   * their own model or one shared in this server, never the track author's private one.
   */
  modelId?: string | null;
  /** The MIDI to continue, fetched lazily. */
  primer?: () => Promise<Uint8Array>;
  parentTrackId?: string;
  /** The verb shown while working. */
  verb?: string;
}

const knownMembers = new WeakMap<Store, Set<string>>();

/** Makes sure the user and guild rows exist (once per process). */
export async function ensureMember(store: Store, userId: string, userName: string, guildId: string): Promise<void> {
  let known = knownMembers.get(store);
  if (!known) knownMembers.set(store, (known = new Set()));
  const key = `${guildId}/${userId}`;
  if (known.has(key)) return;
  await store.upsertUser(userId, userName);
  await store.upsertGuild(guildId);
  known.add(key);
}

/** Loads the model the plan names; null when it uses a genre model. */
async function resolveModel(ctx: BotContext, plan: ComposePlan, userId: string, guildId: string): Promise<PersonalModelRef | undefined> {
  if (plan.modelName) {
    const record = await ctx.store.getModel(plan.modelName, userId, guildId);
    if (!record) throw new MixtapeError('UNKNOWN_MODEL', `You have no model named "${plan.modelName}" (and none is shared with this server). See /models list.`);
    return { id: record.id, name: record.name, bytes: await ctx.store.getModelWeights(record.id) };
  }
  if (plan.modelId) {
    const record = await ctx.store.getModel(plan.modelId, userId, guildId);
    if (!record) throw new MixtapeError('UNKNOWN_MODEL', "This track was made with a personal model that is not shared with this server (or was deleted), so only its owner can reuse it.");
    return { id: record.id, name: record.name, bytes: await ctx.store.getModelWeights(record.id) };
  }
  return undefined;
}

/** Runs a composition for the interaction and posts the result. Never throws. */
export async function composeAndPost(i: RepliableInteraction, ctx: BotContext, plan: ComposePlan): Promise<void> {
  const guildId = i.guildId!;
  let open!: () => void;
  let shut!: (e: unknown) => void;
  const gate = new Promise<void>((resolve, reject) => { open = resolve; shut = reject; });
  gate.catch(() => undefined);
  let modelId: string | null = null;
  let job;
  try {
    const config = await settingsForWork(i, ctx); // the database answers before any work is queued
    job = ctx.queue.submit<ComposeResult>({
      userId: i.user.id,
      guildId,
      kind: 'compose',
      ...(config.maxJobsPerUser ? { maxPerUser: config.maxJobsPerUser } : {}),
      run: async (jc) => {
        await gate; // the reply must be deferred before anything is shown
        const model = await resolveModel(ctx, plan, i.user.id, guildId);
        modelId = model?.id ?? null;
        const primerMidi = plan.primer ? await plan.primer() : undefined;
        return ctx.studio.composeTrack(
          { ...plan.request, model, primerMidi, formats: ['ogg'] },
          (p) => jc.reportProgress(p.fraction, p.detail ?? p.stage),
        );
      },
    });
  } catch (e) {
    await replyError(i, e, ctx.log); // e.g. LIMIT: answered at once, ephemerally
    return;
  }
  job.promise.catch(() => undefined);
  try {
    await i.deferReply();
  } catch (e) {
    shut(e);
    ctx.log.warn({ err: (e as Error).message }, 'could not defer the reply');
    return;
  }
  open();
  const reply = progressReply(i, ctx.limits.progressEditMs);
  const position = ctx.queue.position(job.id);
  if (position > 0) reply.show(`⏳ Waiting in the queue: position **${position}**.`);
  const unsubscribe = followJob(ctx.queue, job.id, reply, plan.verb ?? 'Composing');
  try {
    const result = await job.promise;
    unsubscribe();
    await reply.finish();
    await ensureMember(ctx.store, i.user.id, i.user.username, guildId);
    const track = await ctx.store.createTrack({
      guildId,
      authorId: i.user.id,
      title: result.title,
      genre: result.genre,
      modelId,
      bars: result.bars,
      tempo: result.tempo,
      seed: result.seed,
      temperature: result.temperature,
      instrument: result.instrument,
      params: {
        ...(plan.request.topP !== undefined ? { topP: plan.request.topP } : {}),
        continued: Boolean(plan.primer),
        durationSeconds: result.durationSeconds,
        meter: result.meter,
        ...(result.tuneType ? { tuneType: result.tuneType } : {}),
      },
      midi: result.midi,
      parentTrackId: plan.parentTrackId ?? null,
    });
    const ogg = result.audio.find((a) => a.format === 'ogg' && isOggOpus(a.bytes))?.bytes;
    ctx.audio.set(track.id, { pcm: result.pcm, ogg: result.pcm ? undefined : ogg });
    const message = await i.editReply(trackMessage(track, result, { up: 0, down: 0, score: 0 }));
    await ctx.store.setTrackMessage(track.id, message.channelId, message.id);
    ctx.log.info({ trackId: track.id, guildId, ms: result.timings }, 'track posted');
  } catch (e) {
    unsubscribe();
    await reply.finish();
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
    primer: extend ? async () => track.midi : undefined,
    parentTrackId: track.id,
    verb: extend ? 'Extending' : 'Composing a variation',
  };
}
