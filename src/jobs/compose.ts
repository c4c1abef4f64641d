/**
 * The compose job (compose, continue, variation, extend): studio -> storage -> delivery.
 * Idempotent: the track's id is the job's id, so a job that runs twice (a worker lost its
 * lock, a restart resumed it) makes one track row and edits the one deferred reply.
 */
import { abcAttachmentToPrimer, abcToPrimer, isAbcName } from '../bot/abc-primer.ts';
import { MixtapeError } from '../engine/errors.ts';
import type { ComposeResult, PersonalModelRef } from '../studio/types.ts';
import type { Store, TrackInput, TrackRecord } from '../storage/types.ts';
import { assertMidi, download } from '../bot/attachments.ts';
import { trackMessage } from '../bot/track-message.ts';
import { isOggOpus } from '../bot/voice/loader.ts';
import { plainMessage } from '../delivery/rest.ts';
import type { ComposePayload, ReplyTarget } from './payload.ts';
import type { JobRun, JobRuntime } from './runtime.ts';
import { ensureMember } from './members.ts';
import { COMPOSE_DEADLINE_MS, withDeadline } from '../untrusted/deadline.ts';

/** The personal model the payload names; undefined for a genre model. */
async function resolveModel(store: Store, p: ComposePayload): Promise<PersonalModelRef | undefined> {
  const { userId, guildId } = p.reply;
  if (p.modelName) {
    const record = await store.getModel(p.modelName, userId, guildId);
    if (!record) throw new MixtapeError('UNKNOWN_MODEL', `You have no model named "${p.modelName}" (and none is shared with this server). See /models list.`);
    return { id: record.id, name: record.name, bytes: await store.getModelWeights(record.id) };
  }
  if (p.modelId) {
    // With the rights of whoever asked: their own model or one shared in this server.
    const record = await store.getModel(p.modelId, userId, guildId);
    if (!record) throw new MixtapeError('UNKNOWN_MODEL', 'This track was made with a personal model that is not shared with this server (or was deleted), so only its owner can reuse it.');
    return { id: record.id, name: record.name, bytes: await store.getModelWeights(record.id) };
  }
  return undefined;
}

/** The MIDI to continue: the member's upload (bounded download) or a stored track. */
async function loadPrimer(rt: JobRuntime, p: ComposePayload): Promise<Uint8Array | undefined> {
  if (!p.primer) return undefined;
  if (p.primer.from === 'track') {
    const track = await rt.store.getTrack(p.primer.trackId);
    if (!track) throw new MixtapeError('NOT_FOUND', 'This track was deleted, so it can no longer be extended.');
    return track.midi;
  }
  if (p.primer.from === 'abc') return abcToPrimer(p.primer.text);
  if (isAbcName(p.primer.name)) return abcAttachmentToPrimer(p.primer.url, rt.limits.downloadTimeoutMs);
  const bytes = await download(p.primer.url, rt.limits.maxMidiBytes, rt.limits.downloadTimeoutMs);
  assertMidi(p.primer.name, bytes);
  return bytes;
}

/** Creates the track once: a second run finds the first run's row. */
export async function createOnce(store: Store, input: TrackInput & { id: string }): Promise<TrackRecord> {
  const existing = await store.getTrack(input.id);
  if (existing) return existing;
  try {
    return await store.createTrack(input);
  } catch (e) {
    const raced = await store.getTrack(input.id);
    if (raced) return raced;
    throw e;
  }
}

/** Runs a compose job to its answer. Throws only when the answer could not be delivered. */
export async function runCompose(p: ComposePayload, rt: JobRuntime, run: JobRun): Promise<'answered' | 'already-answered'> {
  const before = await rt.store.getTrack(p.id);
  if (before?.messageId) {
    await run.progress.finish();
    return 'already-answered';
  }
  const model = await resolveModel(rt.store, p);
  const primerMidi = await loadPrimer(rt, p);
  const result = await withDeadline(rt.studio.composeTrack(
    { ...p.request, model, primerMidi, formats: ['ogg'] },
    (s) => run.reportProgress(s.fraction, s.detail ?? s.stage),
  ), COMPOSE_DEADLINE_MS, `This piece took longer than ${COMPOSE_DEADLINE_MS / 1000} s and was stopped. Try fewer bars or a shorter file.`);
  const { userId, userName, guildId } = p.reply;
  await ensureMember(rt.store, userId, userName, guildId);
  const track = await createOnce(rt.store, {
    id: p.id,
    guildId,
    authorId: userId,
    title: result.title,
    genre: result.genre,
    modelId: model?.id ?? null,
    bars: result.bars,
    tempo: result.tempo,
    seed: result.seed,
    temperature: result.temperature,
    instrument: result.instrument,
    params: {
      ...(p.request.topP !== undefined ? { topP: p.request.topP } : {}),
      continued: Boolean(p.primer),
      durationSeconds: result.durationSeconds,
      meter: result.meter,
      ...(result.tuneType ? { tuneType: result.tuneType } : {}),
    },
    midi: result.midi,
    parentTrackId: p.parentTrackId ?? null,
  });
  return postTrack(rt, run, p.reply, p.id, track, result, { ms: result.timings }, 'track posted');
}

/**
 * The end of a job that made a track: its Ogg/Opus is kept so any gateway process can play it
 * without rendering it again, then it is posted once (another run may have answered while this
 * one worked: one message, never two).
 */
export async function postTrack(
  rt: JobRuntime,
  run: JobRun,
  reply: ReplyTarget,
  jobId: string,
  track: TrackRecord,
  result: ComposeResult,
  logFields: Record<string, unknown>,
  logLine: string,
): Promise<'answered' | 'already-answered'> {
  const ogg = result.audio.find((a) => a.format === 'ogg' && isOggOpus(a.bytes))?.bytes;
  if (ogg) await rt.store.setTrackAudio(track.id, ogg);
  rt.audio?.set(track.id, { pcm: result.pcm, ogg: result.pcm ? undefined : ogg });
  await run.progress.finish();
  const again = await rt.store.getTrack(jobId);
  if (again?.messageId) return 'already-answered';
  const where = await rt.delivery.answer(reply, plainMessage(trackMessage(track, result, { up: 0, down: 0, score: 0 }, rt.webUrl)));
  await rt.store.setTrackMessage(track.id, where.channelId, where.messageId);
  rt.log.info({ trackId: track.id, guildId: reply.guildId, via: where.via, ...logFields }, logLine);
  return 'answered';
}
