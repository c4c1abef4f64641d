/**
 * Effects in the spectral domain, on our own FFT (no ffmpeg filter needed): a phase vocoder
 * for time stretch (pitch kept) and pitch shift (duration kept), spectral freeze (held
 * spectra at Poisson-timed moments), spectral blur (magnitudes smeared over time) and a
 * shimmer (an octave-up copy in a feedback echo). Float mono in, float mono out; applySpectral
 * runs one effect on both channels of 48 kHz stereo s16. Deterministic: same input and seed,
 * same samples.
 */
import { MixtapeError } from '../engine/errors.ts';
import { createRng, seedFrom } from '../engine/random.ts';
import { poissonEvents } from '../engine/remix/curves.ts';

export const SPECTRAL_EFFECTS = ['pitch-shift', 'time-stretch', 'freeze', 'blur', 'shimmer'] as const;
export type SpectralEffect = (typeof SPECTRAL_EFFECTS)[number];

export interface SpectralOptions {
  /** pitch-shift: semitones, -12..12. */
  semitones?: number;
  /** time-stretch: output length / input length, 0.5..2. */
  factor?: number;
  /** freeze: where the held moments fall. */
  seed?: number;
  /** 0..1: how much of the effect is mixed in (freeze, blur, shimmer). */
  amount?: number;
}

const N = 2048;
const HOP = N / 4;
const TWO_PI = 2 * Math.PI;
/** Longest input accepted: ten minutes at 48 kHz. */
export const MAX_SPECTRAL_SAMPLES = 48000 * 600;

const hann = (() => {
  const w = new Float64Array(N);
  for (let i = 0; i < N; i++) w[i] = 0.5 - 0.5 * Math.cos((TWO_PI * i) / N);
  return w;
})();
/** Overlap-add gain of a Hann window squared at a hop of N/4. */
const OLA_GAIN = 1.5;

/** Twiddle factors e^(-2πik/N) for k < N/2. */
const COS = Float64Array.from({ length: N / 2 }, (_, k) => Math.cos((TWO_PI * k) / N));
const SIN = Float64Array.from({ length: N / 2 }, (_, k) => -Math.sin((TWO_PI * k) / N));

/** In-place radix-2 FFT of length N (inverse when `inverse`, unscaled). */
function fft(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = N;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
  }
  const sign = inverse ? -1 : 1;
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const stride = n / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < half; k++) {
        const cr = COS[k * stride];
        const ci = sign * SIN[k * stride];
        const a = i + k;
        const b = a + half;
        const tr = re[b] * cr - im[b] * ci;
        const ti = re[b] * ci + im[b] * cr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
}

/** Scratch buffers: the effects run one frame at a time, never re-entrantly. */
const RE = new Float64Array(N);
const IM = new Float64Array(N);

const wrap = (p: number) => p - TWO_PI * Math.round(p / TWO_PI);

/** Windowed spectrum of x at `pos` (zeros outside): magnitudes and phases of bins 0..N/2. */
function analyse(x: Float32Array, pos: number, mag: Float64Array, phase: Float64Array): void {
  const re = RE;
  const im = IM;
  im.fill(0);
  for (let i = 0; i < N; i++) {
    const k = pos + i;
    re[i] = k >= 0 && k < x.length ? x[k] * hann[i] : 0;
  }
  fft(re, im, false);
  for (let b = 0; b <= N / 2; b++) {
    mag[b] = Math.hypot(re[b], im[b]);
    phase[b] = Math.atan2(im[b], re[b]);
  }
}

/** Adds the windowed inverse of (mag, phase) into `out` at `pos`. */
function synthesise(out: Float64Array, pos: number, mag: Float64Array, phase: Float64Array, gain = 1): void {
  const re = RE;
  const im = IM;
  for (let b = 0; b <= N / 2; b++) {
    re[b] = mag[b] * Math.cos(phase[b]);
    im[b] = mag[b] * Math.sin(phase[b]);
    if (b > 0 && b < N / 2) {
      re[N - b] = re[b];
      im[N - b] = -im[b];
    }
  }
  fft(re, im, true);
  const scale = gain / (N * OLA_GAIN);
  for (let i = 0; i < N; i++) {
    const k = pos + i;
    if (k >= 0 && k < out.length) out[k] += re[i] * hann[i] * scale;
  }
}

/**
 * Phase-vocoder time stretch: `factor` times as long, same pitch. Frames are read every
 * HOP/factor samples and written every HOP, each bin's phase advanced at its measured frequency.
 * @example timeStretch(x, 1.25).length // Math.round(x.length * 1.25)
 */
export function timeStretch(x: Float32Array, factor: number): Float32Array {
  if (!(factor >= 0.25 && factor <= 4)) throw new MixtapeError('BAD_ARGUMENT', `the stretch factor must be from 0.25 to 4 (got ${factor})`);
  const outLen = Math.round(x.length * factor);
  const out = new Float64Array(outLen + N);
  const mag = new Float64Array(N / 2 + 1);
  const phase = new Float64Array(N / 2 + 1);
  const prev = new Float64Array(N / 2 + 1);
  const acc = new Float64Array(N / 2 + 1);
  const analysisHop = HOP / factor;
  let lastPos = 0;
  for (let k = 0; k * HOP < outLen + N; k++) {
    const pos = Math.round(k * analysisHop) - N / 2;
    analyse(x, pos, mag, phase);
    const hop = pos - lastPos;
    for (let b = 0; b <= N / 2; b++) {
      if (k === 0) acc[b] = phase[b];
      else {
        const omega = (TWO_PI * b) / N;
        const trueFreq = omega + (hop > 0 ? wrap(phase[b] - prev[b] - omega * hop) / hop : 0);
        acc[b] += trueFreq * HOP;
      }
      prev[b] = phase[b];
    }
    lastPos = pos;
    synthesise(out, k * HOP - N / 2, mag, acc);
  }
  return Float32Array.from(out.subarray(0, outLen));
}

/** Reads x at fractional positions (cubic interpolation) into `length` samples, `step` apart. */
function resample(x: Float32Array, step: number, length: number): Float32Array {
  const out = new Float32Array(length);
  const at = (i: number) => (i < 0 || i >= x.length ? 0 : x[i]);
  for (let i = 0; i < length; i++) {
    const t = i * step;
    const k = Math.floor(t);
    const f = t - k;
    const p0 = at(k - 1), p1 = at(k), p2 = at(k + 1), p3 = at(k + 2);
    out[i] = p1 + 0.5 * f * (p2 - p0 + f * (2 * p0 - 5 * p1 + 4 * p2 - p3 + f * (3 * (p1 - p2) + p3 - p0)));
  }
  return out;
}

/**
 * Pitch shift by `semitones`, same duration: stretch by the pitch ratio, then read it back
 * that much faster.
 * @example pitchShift(x, 3).length === x.length
 */
export function pitchShift(x: Float32Array, semitones: number): Float32Array {
  if (!(Math.abs(semitones) <= 12)) throw new MixtapeError('BAD_ARGUMENT', `the pitch shift must be from -12 to 12 semitones (got ${semitones})`);
  const ratio = 2 ** (semitones / 12);
  return resample(timeStretch(x, ratio), ratio, x.length);
}

/**
 * Spectral freeze: at Poisson-timed moments (about one every 6 s) the spectrum is held and
 * rings on for 2 to 4 s, its bins turning at their measured frequencies, under the dry sound.
 * @example spectralFreeze(x, 48000, 7).length === x.length
 */
export function spectralFreeze(x: Float32Array, rate: number, seed: number, amount = 1): Float32Array {
  const out = Float64Array.from(x);
  const rng = createRng(seedFrom(`${seed}:freeze-length`));
  const moments = poissonEvents(seedFrom(`${seed}:freeze`), { rate: 1 / 6, duration: x.length / rate, max: 200 });
  const mag = new Float64Array(N / 2 + 1);
  const phase = new Float64Array(N / 2 + 1);
  const next = new Float64Array(N / 2 + 1);
  const freq = new Float64Array(N / 2 + 1);
  for (const t of moments) {
    const start = Math.round(t * rate);
    analyse(x, start, mag, phase);
    analyse(x, start + HOP, new Float64Array(N / 2 + 1), next);
    for (let b = 0; b <= N / 2; b++) freq[b] = (TWO_PI * b) / N + wrap(next[b] - phase[b] - ((TWO_PI * b) / N) * HOP) / HOP;
    const frames = Math.round(((2 + 2 * rng.next()) * rate) / HOP);
    for (let f = 0; f < frames; f++) {
      // Fades in over a quarter, out over the rest: a swell, not a click.
      const env = f < frames / 4 ? f / (frames / 4) : (frames - f) / (frames * 0.75);
      synthesise(out, start + f * HOP, mag, phase, 0.7 * amount * env);
      for (let b = 0; b <= N / 2; b++) phase[b] += freq[b] * HOP;
    }
  }
  return Float32Array.from(out);
}

/**
 * Spectral blur: each bin's magnitude follows a slow average of its past (a smear of about
 * 0.3 s at amount 1), phases kept: notes bleed into each other like a wash.
 * @example spectralBlur(x, 0.8).length === x.length
 */
export function spectralBlur(x: Float32Array, amount = 1): Float32Array {
  const keep = 0.9 * Math.min(1, Math.max(0, amount));
  const out = new Float64Array(x.length + N);
  const mag = new Float64Array(N / 2 + 1);
  const phase = new Float64Array(N / 2 + 1);
  const smooth = new Float64Array(N / 2 + 1);
  for (let pos = -N / 2; pos < x.length; pos += HOP) {
    analyse(x, pos, mag, phase);
    for (let b = 0; b <= N / 2; b++) smooth[b] = keep * smooth[b] + (1 - keep) * mag[b];
    synthesise(out, pos, smooth, phase);
  }
  // Normalised to the dry peak: a blur changes colour, not loudness.
  return matchPeak(Float32Array.from(out.subarray(0, x.length)), x);
}

/**
 * Shimmer: the sound an octave up, fed through a feedback echo (three delays), mixed under the dry.
 * @example shimmer(x, 48000, 0.5).length === x.length
 */
export function shimmer(x: Float32Array, rate: number, amount = 1): Float32Array {
  const up = pitchShift(x, 12);
  const wet = new Float64Array(x.length);
  const delays = [0.113, 0.167, 0.229].map((s) => Math.round(s * rate));
  for (let i = 0; i < x.length; i++) {
    let v = up[i];
    for (const d of delays) if (i >= d) v += 0.28 * wet[i - d];
    wet[i] = v;
  }
  const g = 0.35 * Math.min(1, Math.max(0, amount));
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] + g * wet[i];
  return out;
}

/** Scales `y` so that its peak matches `x`'s. */
function matchPeak(y: Float32Array, x: Float32Array): Float32Array {
  let px = 0;
  let py = 0;
  for (const v of x) px = Math.max(px, Math.abs(v));
  for (const v of y) py = Math.max(py, Math.abs(v));
  if (py > 0) for (let i = 0; i < y.length; i++) y[i] *= px / py;
  return y;
}

/** One effect on one channel. */
export function spectralMono(x: Float32Array, effect: SpectralEffect, o: SpectralOptions, rate = 48000): Float32Array {
  switch (effect) {
    case 'pitch-shift': return pitchShift(x, o.semitones ?? 5);
    case 'time-stretch': return timeStretch(x, o.factor ?? 1.25);
    case 'freeze': return spectralFreeze(x, rate, o.seed ?? 1, o.amount ?? 1);
    case 'blur': return spectralBlur(x, o.amount ?? 1);
    case 'shimmer': return shimmer(x, rate, o.amount ?? 1);
    default: throw new MixtapeError('BAD_ARGUMENT', `unknown spectral effect "${effect as string}"; choose one of ${SPECTRAL_EFFECTS.join(', ')}`);
  }
}

/**
 * One effect on interleaved stereo s16 PCM (each channel alike), soft-limited back to s16.
 * @example applySpectral(pcm, 'pitch-shift', { semitones: 3 }).length === pcm.length
 */
export function applySpectral(pcm: Int16Array, effect: SpectralEffect, o: SpectralOptions = {}, rate = 48000): Int16Array {
  const frames = Math.floor(pcm.length / 2);
  if (frames > MAX_SPECTRAL_SAMPLES) throw new MixtapeError('TOO_LARGE', 'the piece is longer than ten minutes; remix a shorter one');
  const channels = [0, 1].map((c) => {
    const x = new Float32Array(frames);
    for (let i = 0; i < frames; i++) x[i] = pcm[2 * i + c] / 32768;
    return spectralMono(x, effect, o, rate);
  });
  const len = channels[0].length;
  const out = new Int16Array(len * 2);
  for (let i = 0; i < len; i++) {
    for (let c = 0; c < 2; c++) {
      const v = channels[c][i];
      // tanh above 0.9: the shimmer's and freeze's added energy never wraps around.
      const s = Math.abs(v) <= 0.9 ? v : Math.sign(v) * (0.9 + 0.1 * Math.tanh((Math.abs(v) - 0.9) / 0.1));
      out[2 * i + c] = Math.max(-32768, Math.min(32767, Math.round(s * 32767)));
    }
  }
  return out;
}

/**
 * applySpectral in a worker thread, so a long effect never holds up the caller's event loop.
 * @example await applySpectralInWorker(pcm, 'shimmer', { amount: 0.6 })
 */
export async function applySpectralInWorker(pcm: Int16Array, effect: SpectralEffect, options: SpectralOptions = {}): Promise<Int16Array> {
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(new URL('./spectral-worker.ts', import.meta.url));
  try {
    return await new Promise<Int16Array>((resolve, reject) => {
      worker.once('message', (m: { pcm?: Int16Array; error?: string; code?: string }) => {
        if (m.pcm) resolve(m.pcm);
        else reject(m.code ? new MixtapeError(m.code as 'BAD_ARGUMENT', m.error ?? 'spectral effect failed') : new Error(m.error));
      });
      worker.once('error', reject);
      worker.postMessage({ pcm, effect, options });
    });
  } finally {
    await worker.terminate();
  }
}
