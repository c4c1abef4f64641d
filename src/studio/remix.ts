/**
 * Remixes: a stored piece transformed and rendered again, reproducibly for a seed. Curve
 * effects (src/engine/remix) change the notes, tempo and controllers before synthesis;
 * spectral effects (src/render/spectral) change the synthesised sound.
 */
import { MixtapeError } from '../engine/errors.ts';
import { readMidi } from '../engine/midi.ts';
import { CURVE_EFFECTS, remixScore, type CurveEffect } from '../engine/remix/transform.ts';
import { writeRemixMidi } from '../engine/remix/smf.ts';
import { durationSeconds as scoreSeconds } from '../engine/score.ts';
import { barBeats } from '../engine/segue.ts';
import { Renderer, encode, renderScore } from '../render/index.ts';
import { SPECTRAL_EFFECTS, applySpectral, applySpectralInWorker, type SpectralEffect } from '../render/spectral.ts';
import type { AudioFormat, ComposeResult, ProgressFn } from './types.ts';

export const REMIX_EFFECTS = [...CURVE_EFFECTS, ...SPECTRAL_EFFECTS] as const;
export type RemixEffect = CurveEffect | SpectralEffect;

/** What each effect does, for help texts. */
export const REMIX_DESCRIPTIONS: Record<RemixEffect, string> = {
  drift: 'pitch drifts through the key (Brownian motion)',
  'tempo-walk': 'tempo wanders bar by bar (random walk)',
  chaos: 'dynamics from the logistic map (chaos)',
  'pan-walk': 'the instruments wander left and right (random walk)',
  timbre: 'instrument changes at Poisson-timed moments, filter cutoff in Brownian motion',
  'pitch-shift': 'spectral pitch shift, same duration',
  'time-stretch': 'spectral time stretch, same pitch',
  freeze: 'spectral freeze: moments held and ringing on',
  blur: 'spectral blur: notes smeared into a wash',
  shimmer: 'an octave-up echo under the sound',
};

export interface RemixRequest {
  /** The piece's stored MIDI (as voiced). */
  midi: Uint8Array;
  title: string;
  genre: string;
  instrument: string;
  temperature: number;
  effect: RemixEffect;
  seed: number;
  /** 0..1 (default 1): how strong a curve, freeze, blur or shimmer is. */
  amount?: number;
  /** pitch-shift: -12..12 (default 5). */
  semitones?: number;
  /** time-stretch: 0.5..2 (default 1.25). */
  factor?: number;
  formats?: AudioFormat[];
}

export interface RemixExtras {
  /** A SoundFont other than the default (tests use a small one). */
  soundfont?: string;
  /** Run spectral effects in this thread (CLI, tests) instead of a worker. */
  inThread?: boolean;
}

/** Checks a remix request's numbers; a MixtapeError that says what to change. */
export function checkRemix(req: Pick<RemixRequest, 'effect' | 'amount' | 'semitones' | 'factor' | 'seed'>): void {
  const bad = (m: string) => { throw new MixtapeError('BAD_ARGUMENT', m); };
  if (!(REMIX_EFFECTS as readonly string[]).includes(req.effect)) bad(`unknown effect "${req.effect}"; choose one of ${REMIX_EFFECTS.join(', ')}`);
  if (req.amount !== undefined && !(req.amount >= 0 && req.amount <= 1)) bad(`amount must be from 0 to 1 (got ${req.amount})`);
  if (req.semitones !== undefined && !(Number.isInteger(req.semitones) && Math.abs(req.semitones) <= 12 && req.semitones !== 0)) bad(`semitones must be a whole number from -12 to 12, not 0 (got ${req.semitones})`);
  if (req.factor !== undefined && !(req.factor >= 0.5 && req.factor <= 2)) bad(`factor must be from 0.5 to 2 (got ${req.factor})`);
  if (!Number.isInteger(req.seed) || req.seed < 0) bad(`seed must be a whole number of 0 or more (got ${req.seed})`);
}

/**
 * Remixes a stored piece: same request, same audio.
 * @example await remixTrack({ midi, title: 'Reel', genre: 'celtic', instrument: 'piano', temperature: 1, effect: 'drift', seed: 7 })
 */
export async function remixTrack(req: RemixRequest, onProgress?: ProgressFn, extras: RemixExtras = {}): Promise<ComposeResult> {
  checkRemix(req);
  const formats = req.formats ?? ['ogg'];
  const source = readMidi(req.midi);
  const curve = (CURVE_EFFECTS as readonly string[]).includes(req.effect);
  onProgress?.({ stage: 'transforming', fraction: 0.1 });
  const t0 = performance.now();
  const remixed = curve ? remixScore(source, req.effect as CurveEffect, req.seed, req.amount) : { score: source, controls: [] };
  // Curve remixes are written with their controllers; spectral ones render the piece as it was.
  const midi = curve ? writeRemixMidi(remixed.score, remixed.controls) : req.midi;
  const generateMs = performance.now() - t0;
  onProgress?.({ stage: 'rendering', fraction: 0.3 });
  // A synth of its own, fresh: a warm one carries the last piece's reverb and its 64-frame
  // block phase into the next render, and a remix must sound the same every time.
  const renderer = new Renderer({ soundfont: extras.soundfont });
  const rendered = await renderScore(midi, { formats: curve ? formats : [], renderer }).finally(() => renderer.close());
  let pcm = rendered.pcm;
  let files = rendered.files;
  let encodeMs = rendered.timings.encodeMs;
  if (!curve) {
    onProgress?.({ stage: 'transforming the sound', fraction: 0.6 });
    const options = { seed: req.seed, amount: req.amount, semitones: req.semitones, factor: req.factor };
    pcm = extras.inThread ? applySpectral(pcm, req.effect as SpectralEffect, options) : await applySpectralInWorker(pcm, req.effect as SpectralEffect, options);
    const t1 = performance.now();
    const pcm16 = { samples: pcm, sampleRate: 48000, channels: 2 as const };
    files = await Promise.all(formats.map(async (format) => ({ format, bytes: await encode(pcm16, format) })));
    encodeMs = performance.now() - t1;
  }
  onProgress?.({ stage: 'done', fraction: 1 });
  return {
    title: `${req.title} · ${req.effect} remix`.slice(0, 100),
    genre: req.genre,
    modelName: '',
    bars: Math.max(1, Math.round(remixed.score.lengthBeats / barBeats(remixed.score))),
    tempo: remixed.score.tempos[0]?.bpm ?? 120,
    seed: req.seed,
    temperature: req.temperature,
    meter: ((ts) => (ts ? `${ts.numerator}/${ts.denominator}` : '4/4'))(remixed.score.timeSignatures[0]),
    instrument: req.instrument,
    durationSeconds: pcm.length / 2 / 48000 || scoreSeconds(remixed.score),
    midi,
    audio: files,
    png: rendered.png,
    pcm,
    timings: { generateMs, renderMs: rendered.timings.renderMs, encodeMs, imageMs: rendered.timings.imageMs },
  };
}
