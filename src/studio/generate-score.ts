/**
 * Generation only (no audio): the request's model, checked inputs, the engine's compose.
 * Runs in the caller's thread or in the generation worker (generator.ts); both share this.
 */
import { compose } from '../engine/compose.ts';
import type { Composition } from '../engine/compose.ts';
import { MixtapeError } from '../engine/errors.ts';
import { getGenre } from '../engine/genres/index.ts';
import { parseKey } from '../engine/key.ts';
import { parseMeter, tuneType } from '../engine/meter.ts';
import { readMidi } from '../engine/midi.ts';
import { durationSeconds } from '../engine/score.ts';
import { loadModelBytes, resolveModel } from '../engine/models/model.ts';
import type { Model } from '../engine/models/model.ts';
import { findInstrument, instrumentNames } from '../render/instruments.ts';
import type { ComposeRequest } from './types.ts';

/** Options beyond the bot's contract (CLI): key, top-p, beam search, SoundFont, expression. */
export interface ComposeExtras {
  /** A model folder (CLI) instead of the genre's shipped model. */
  modelPath?: string;
  key?: string;
  beam?: { size: number; branchFactor?: number; stepsPerIteration?: number };
  soundfont?: string;
  /** Skip audio (MIDI and picture only). */
  noAudio?: boolean;
  picture?: boolean;
  humanize?: boolean;
  /** false: no form plan (the network writes every bar freely), for comparison. */
  form?: boolean;
}

/**
 * Bounds of a MIDI file to continue: the whole primer is primed through the network and
 * rendered with the continuation, so its length bounds the job's time and memory
 * (1024 beats is 256 bars of 4/4, about 8.5 minutes at 120 bpm).
 */
export const PRIMER_MAX_BEATS = 1024;
export const PRIMER_MAX_NOTES = 8000;
export const PRIMER_MAX_SECONDS = 360;

const personalModels = new Map<string, Model>();

/** The model for a request: a member's own (cached by id) or the genre's shipped model. */
async function modelFor(req: ComposeRequest, extras: ComposeExtras): Promise<Model> {
  if (extras.modelPath) return resolveModel(extras.modelPath);
  if (!req.model) return resolveModel(req.genre);
  let model = personalModels.get(req.model.id);
  if (!model) {
    model = loadModelBytes(req.model.bytes);
    if (personalModels.size > 32) personalModels.delete(personalModels.keys().next().value!);
    personalModels.set(req.model.id, model);
  }
  return model;
}

/**
 * Generates the piece of a request in this thread.
 * @example (await generateScore({ genre: 'celtic', bars: 16, seed: 7 })).totalBars // 16
 */
export async function generateScore(req: ComposeRequest, extras: ComposeExtras = {}): Promise<Composition> {
  const genre = getGenre(req.genre);
  if (req.instrument && !findInstrument(req.instrument)) {
    throw new MixtapeError('UNKNOWN_INSTRUMENT', `unknown instrument "${req.instrument}"; try one of: ${instrumentNames().slice(0, 12).join(', ')}, ...`);
  }
  // The member's file is checked before any model is loaded.
  const primer = req.primerMidi ? readMidi(req.primerMidi, { maxBeats: PRIMER_MAX_BEATS, maxNotes: PRIMER_MAX_NOTES }) : undefined;
  // Beats alone do not bound the audio: a file may say 1 bpm. Its playing time must fit too.
  if (primer && durationSeconds(primer) > PRIMER_MAX_SECONDS) {
    throw new MixtapeError('TOO_LARGE', `that MIDI file plays for ${Math.round(durationSeconds(primer) / 60)} minutes; the limit is ${PRIMER_MAX_SECONDS / 60} minutes`);
  }
  const model = await modelFor(req, extras);
  return compose({
    model,
    genre,
    bars: req.bars,
    tempo: req.tempo,
    temperature: req.temperature,
    topP: req.topP,
    seed: req.seed,
    key: extras.key ? parseKey(extras.key) : undefined,
    primer,
    beam: extras.beam,
    meter: req.meter ? parseMeter(req.meter) : undefined,
    tuneType: req.tuneType ? tuneType(req.tuneType) : undefined,
    form: extras.form,
  });
}
