/**
 * Remixes: a stored piece transformed and rendered again, reproducibly for a seed. Curve
 * effects (src/engine/remix) change the notes, tempo and controllers before synthesis;
 * spectral effects (src/render/spectral) change the synthesised sound.
 */
import { readMidi } from '../engine/midi.ts';
import { CURVE_EFFECTS, remixScore, type CurveEffect } from '../engine/remix/transform.ts';
import { checkRemix, type RemixRequest } from './remix-effects.ts';
import { writeRemixMidi } from '../engine/remix/smf.ts';
import { durationSeconds as scoreSeconds } from '../engine/score.ts';
import { barBeats } from '../engine/segue.ts';
import { Renderer, encode, renderScore } from '../render/index.ts';
import { applySpectral, applySpectralInWorker, type SpectralEffect } from '../render/spectral.ts';
import type { ComposeResult, ProgressFn } from './types.ts';

export * from './remix-effects.ts';

export interface RemixExtras {
  /** A SoundFont other than the default (tests use a small one). */
  soundfont?: string;
  /** Run spectral effects in this thread (CLI, tests) instead of a worker. */
  inThread?: boolean;
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
