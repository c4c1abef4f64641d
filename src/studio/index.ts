/**
 * The studio: the one door from the bot and the CLI to the music. engine (compose) ->
 * render (voicing, synthesis, encoding, picture). Inputs are checked here before any work.
 */
import type { Composition } from '../engine/compose.ts';
import { genreKeys, genres } from '../engine/genres/index.ts';
import { writeMidi } from '../engine/midi.ts';
import { resolveModel } from '../engine/models/model.ts';
import { applyVoicing, getRenderer, instrumentNames, pianoRoll, renderPcmStream as streamPcm, renderScore } from '../render/index.ts';
import { benchPiece } from '../render/bench.ts';
import type { Score } from '../engine/score.ts';
import { durationSeconds } from '../engine/score.ts';
import type { ComposeRequest, ComposeResult, ProgressFn } from './types.ts';
import { generateScore } from './generate-score.ts';
import type { ComposeExtras } from './generate-score.ts';
import { Generator } from './generator.ts';

export { trainPersonal } from './train.ts';
export { keepEncodersWarm } from '../render/index.ts';
import { recordMixtape as recordPieces, type RecordPiece, type RecordOptions, type Recording } from './record.ts';
export { MAX_RECORD_PIECES, type RecordPiece, type Recording, type RecordOptions } from './record.ts';
export { remixTrack, REMIX_EFFECTS, REMIX_DESCRIPTIONS, type RemixRequest, type RemixEffect } from './remix.ts';
export type { ComposeExtras } from './generate-score.ts';
export type * from './types.ts';

/** Genre keys `/compose` offers. @example listGenres() // ['celtic', ...] */
export const listGenres = (): string[] => genreKeys();

/** Instrument names a user may choose. @example listInstruments().includes('piano') // true */
export const listInstruments = (): string[] => instrumentNames();

let generator: Generator | undefined;
/** True once any piece was composed in this process (the warm-up's practice piece is then pointless). */
let composedOnce = false;

/**
 * Runs generation in a worker thread from now on (the bot: its event loop stays free while a
 * network composes). The CLI composes in its own thread, which saves the worker's start.
 */
export function useGenerationWorker(): Generator {
  generator ??= new Generator();
  return generator;
}

/** Generates only: the Composition and its MIDI (no audio), in the worker when one is in use. */
export function composeScore(req: ComposeRequest, extras: ComposeExtras = {}): Promise<Composition> {
  return generator ? generator.compose(req, extras) : generateScore(req, extras);
}

/**
 * Composes and renders a piece: MIDI, audio files, piano roll and PCM for voice.
 * @example const result = await composeTrack({ genre: 'celtic', bars: 16, seed: 7, formats: ['ogg', 'mp3'] })
 */
export async function composeTrack(req: ComposeRequest, onProgress?: ProgressFn, extras: ComposeExtras = {}): Promise<ComposeResult> {
  composedOnce = true;
  onProgress?.({ stage: 'composing', fraction: 0.05 });
  // A cold process loads the SoundFont in the synth worker while the network composes.
  if (!extras.noAudio) getRenderer(extras.soundfont).ready().catch(() => {}); // errors surface in renderScore
  const piece = await composeScore(req, extras);
  onProgress?.({ stage: 'rendering', fraction: 0.4 });
  const voiced = applyVoicing(piece.score, req.genre, req.instrument);
  if (extras.noAudio) {
    // MIDI and picture only: no synthesis, so no SoundFont to load.
    const started = performance.now();
    const png = extras.picture === false ? new Uint8Array(0) : pianoRoll(voiced, { primerEndBeat: piece.primerEndBeat });
    return resultOf(req, piece, voiced, { files: [], png, durationSeconds: durationSeconds(voiced), timings: { renderMs: 0, encodeMs: 0, imageMs: performance.now() - started } });
  }
  const formats = req.formats ?? ['ogg'];
  const rendered = await renderScore(piece.score, {
    genre: req.genre,
    instrument: req.instrument,
    formats,
    soundfont: extras.soundfont,
    primerEndBeat: piece.primerEndBeat,
    picture: extras.picture,
    expression: extras.humanize === false ? undefined : { seed: piece.seed, humanize: 0.5, dynamics: 0.5, swing: feelOf(req.genre)?.swing },
  });
  onProgress?.({ stage: 'done', fraction: 1 });
  return resultOf(req, piece, voiced, rendered);
}

/** The genre's played feel (swing), when the request names a known genre. */
function feelOf(genre: string) {
  return genres[genre]?.feel;
}

/** The studio's answer for a composed piece and its rendering. */
function resultOf(
  req: ComposeRequest,
  piece: Composition,
  voiced: Score,
  rendered: { files: ComposeResult['audio']; png: Uint8Array; pcm?: Int16Array; durationSeconds: number; timings: { renderMs: number; encodeMs: number; imageMs: number } },
): ComposeResult {
  return {
    title: piece.title,
    genre: req.genre,
    modelName: req.model?.name ?? piece.modelName,
    // Continuations count the primer's bars too: the piece as posted.
    bars: piece.totalBars,
    tempo: piece.tempo,
    seed: piece.seed,
    temperature: piece.temperature,
    meter: piece.meter,
    tuneType: piece.tuneType,
    instrument: req.instrument ?? 'default',
    durationSeconds: rendered.durationSeconds,
    // The MIDI as voiced (instruments set), before humanisation: what a musician wants to load.
    midi: writeMidi(voiced),
    audio: rendered.files,
    png: rendered.png,
    pcm: rendered.pcm,
    timings: { generateMs: piece.generateMs, ...rendered.timings },
  };
}

/** Renders stored MIDI to 48 kHz stereo s16 PCM (voice replay of an old track). */
export async function renderPcm(midi: Uint8Array, opts: { instrument?: string; tempo?: number } = {}): Promise<Int16Array> {
  const rendered = await renderScore(midi, { formats: [], instrument: opts.instrument, picture: false });
  return rendered.pcm;
}

/**
 * Streams stored MIDI as 48 kHz stereo s16 chunks while it is synthesised: voice playback of a
 * long piece can start after its first seconds are rendered instead of the whole piece.
 * @example for await (const pcm of renderPcmStream(track.midi)) voice.write(pcm)
 */
export function renderPcmStream(midi: Uint8Array, opts: { instrument?: string } = {}): AsyncGenerator<Int16Array> {
  return streamPcm(midi, { instrument: opts.instrument });
}

/**
 * Loads every shipped genre model and the SoundFont ahead of the first request and composes
 * one tiny piece, so the first `/compose` is as fast as the rest. Failures are returned, not thrown.
 */
export async function warmUp(soundfont?: string): Promise<{ models: string[]; failed: string[] }> {
  const models: string[] = [];
  const failed: string[] = [];
  await Promise.all([
    generator
      ? generator.warm().then((loaded) => models.push(...loaded), () => failed.push('generation worker'))
      : Promise.all(genreKeys().map((g) => resolveModel(g).then(() => models.push(g), () => failed.push(g)))),
    // As soon as the font is in, two bars go through synthesis, loudness and both encoders while
    // the models still load: the synth's WebAssembly is compiled to its fast tier and idle
    // encoders are waiting before the first member asks (it does not wait for the models).
    getRenderer(soundfont).ready().then(
      () => (composedOnce ? undefined : renderScore(benchPiece(2), { formats: ['ogg', 'mp3'], soundfont }).catch(() => failed.push('warm-up render'))),
      () => failed.push('soundfont'),
    ),
  ]);
  // One tiny piece through every stage (generation, synthesis, loudness, both encoders) so the
  // first member's /compose meets warm code and a warm ffmpeg, not a cold start.
  // A member who came first already warmed them, and must not share the CPU with practice.
  if (models.length > 0 && !failed.includes('soundfont') && !composedOnce) {
    await composeTrack({ genre: models[0], bars: 1, seed: 1, formats: ['ogg', 'mp3'] }, undefined, { soundfont, picture: false }).catch(() => failed.push('warm-up piece'));
  }
  // No TensorFlow here: only training loads it, in its own worker threads. Loading it on this
  // thread would hold the event loop for a second or more just as the first members arrive.
  return { models, failed };
}

/**
 * The weekly mixtape as one file: the pieces rendered from their MIDI and cross-faded.
 * @example await recordMixtape([{ title: 'Reel', midi }], { crossfadeSeconds: 3 })
 */
export async function recordMixtape(pieces: readonly RecordPiece[], options: RecordOptions = {}): Promise<Recording> {
  return recordPieces(pieces, options, (midi, o) => renderPcm(midi, o));
}
