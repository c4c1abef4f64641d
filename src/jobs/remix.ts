/**
 * The remix job: a stored track through a seeded effect (studio remixTrack) into a new track
 * linked to it, answered like a composition. Idempotent the same way: the new track's id is
 * the job's id.
 */
import { MixtapeError } from '../engine/errors.ts';
import type { RemixEffect } from '../studio/remix-effects.ts';
import { COMPOSE_DEADLINE_MS, withDeadline } from '../untrusted/deadline.ts';
import { createOnce, postTrack } from './compose.ts';
import { ensureMember } from './members.ts';
import type { RemixPayload } from './payload.ts';
import type { JobRun, JobRuntime } from './runtime.ts';

/** Runs a remix job to its answer. Throws only when the answer could not be delivered. */
export async function runRemix(p: RemixPayload, rt: JobRuntime, run: JobRun): Promise<'answered' | 'already-answered'> {
  const before = await rt.store.getTrack(p.id);
  if (before?.messageId) {
    await run.progress.finish();
    return 'already-answered';
  }
  const remix = rt.studio.remixTrack?.bind(rt.studio);
  if (!remix) throw new MixtapeError('UNAVAILABLE', 'Remixes are not available on this bot.');
  const parent = await rt.store.getTrack(p.trackId);
  if (!parent || parent.guildId !== p.reply.guildId) throw new MixtapeError('NOT_FOUND', 'This track was deleted, so it can no longer be remixed.');
  const settings = { effect: p.effect as RemixEffect, seed: p.seed, amount: p.amount, semitones: p.semitones, factor: p.factor };
  const result = await withDeadline(remix({
    midi: parent.midi, title: parent.title, genre: parent.genre, instrument: parent.instrument, temperature: parent.temperature,
    ...settings, formats: ['ogg'],
  }, (s) => run.reportProgress(s.fraction, s.detail ?? s.stage)), COMPOSE_DEADLINE_MS, `This remix took longer than ${COMPOSE_DEADLINE_MS / 1000} s and was stopped. Try a shorter track.`);
  const { userId, userName, guildId } = p.reply;
  await ensureMember(rt.store, userId, userName, guildId);
  const track = await createOnce(rt.store, {
    id: p.id, guildId, authorId: userId, title: result.title, genre: result.genre, modelId: parent.modelId,
    bars: result.bars, tempo: result.tempo, seed: result.seed, temperature: result.temperature, instrument: result.instrument,
    params: { remix: Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)), durationSeconds: result.durationSeconds, meter: result.meter },
    midi: result.midi,
    parentTrackId: parent.id,
  });
  // Spectral remixes live in their audio (the MIDI is the parent's): postTrack keeps it for voice.
  return postTrack(rt, run, p.reply, p.id, track, result, { parent: parent.id, effect: p.effect }, 'remix posted');
}
