/**
 * Loudness after ITU-R BS.1770-4 / EBU R128: K-weighting (a high shelf and a high pass),
 * mean square over 400 ms blocks every 100 ms, an absolute gate at -70 LUFS and a relative one
 * 10 LU under the gated mean; true peak by 4x oversampling. `normalizeLoudness` brings a
 * render to one target (default -16 LUFS) with a look-ahead limiter so that it never exceeds
 * the true-peak ceiling (default -1 dBTP).
 */

/** Where every render lands unless asked otherwise. */
export const TARGET_LUFS = -16;
/** The true-peak ceiling after normalisation. */
export const CEILING_DBTP = -1;
/** Quiet renders are lifted at most this much (near-silence stays quiet). */
export const MAX_GAIN_DB = 30;

const STEP_SECONDS = 0.1; // blocks of 400 ms overlap by 75 %: four 100 ms steps each
const ABSOLUTE_GATE = -70;
const RELATIVE_GATE = -10;

interface Biquad { b0: number; b1: number; b2: number; a1: number; a2: number }

/** The two K-weighting stages for a sample rate (the standard's filters, re-derived for any rate). */
function kWeighting(rate: number): [Biquad, Biquad] {
  const G = 3.999843853973347;
  let Q = 0.7071752369554196;
  let K = Math.tan((Math.PI * 1681.974450955533) / rate);
  const Vh = 10 ** (G / 20);
  const Vb = Vh ** 0.4996667741545416;
  let a0 = 1 + K / Q + K * K;
  const shelf = {
    b0: (Vh + (Vb * K) / Q + K * K) / a0, b1: (2 * (K * K - Vh)) / a0, b2: (Vh - (Vb * K) / Q + K * K) / a0,
    a1: (2 * (K * K - 1)) / a0, a2: (1 - K / Q + K * K) / a0,
  };
  Q = 0.5003270373238773;
  K = Math.tan((Math.PI * 38.13547087602444) / rate);
  a0 = 1 + K / Q + K * K;
  const highPass = { b0: 1, b1: -2, b2: 1, a1: (2 * (K * K - 1)) / a0, a2: (1 - K / Q + K * K) / a0 };
  return [shelf, highPass];
}

/** A signal as channels of samples in [-1, 1]: interleaved s16/float, or planar float arrays. */
export type Signal = Int16Array | Float32Array | Float32Array[];

/** Planar float channels of a signal (interleaved input is copied out once; planar is used as is). */
function planar(signal: Signal, channels: number): Float32Array[] {
  if (Array.isArray(signal)) return signal;
  const frames = Math.floor(signal.length / channels);
  const scale = signal instanceof Int16Array ? 1 / 32768 : 1;
  return Array.from({ length: channels }, (_, c) => {
    const out = new Float32Array(frames);
    for (let i = 0, j = c; i < frames; i++, j += channels) out[i] = signal[j] * scale;
    return out;
  });
}

/** K-weighted energy (sum of squares over channels) per 100 ms step. */
function stepEnergy(chans: Float32Array[], rate: number): Float64Array {
  const k = kWeighting(rate);
  const step = Math.round(rate * STEP_SECONDS);
  const steps = Math.floor((chans[0]?.length ?? 0) / step);
  const energy = new Float64Array(steps);
  for (const x of chans) weighSteps(x, k, new Float64Array(6), 0, steps * step, step, 0, energy);
  return energy;
}

/**
 * K-weights x[from, to) through the filter state `st` (shelf x1 x2 y1 y2, high pass y1 y2;
 * updated), adds each 100 ms step it completes to energy[step index] and returns the sum of
 * squares of the step left open (`partial` is the open step's sum so far).
 */
function weighSteps(x: Float32Array, [s, h]: [Biquad, Biquad], st: Float64Array, from: number, to: number, step: number, partial: number, energy: number[] | Float64Array): number {
  // Read one by one: destructuring the state here made this loop twice as slow (V8 kept the values boxed).
  let sx1 = st[0], sx2 = st[1], sy1 = st[2], sy2 = st[3], hy1 = st[4], hy2 = st[5];
  let sum = partial;
  for (let i = from; i < to; ) {
    // Up to the end of the current step in one tight loop, then close the step.
    const stepEnd = (Math.floor(i / step) + 1) * step;
    for (const end = Math.min(to, stepEnd); i < end; i++) {
      const v = x[i];
      const y = s.b0 * v + s.b1 * sx1 + s.b2 * sx2 - s.a1 * sy1 - s.a2 * sy2;
      sx2 = sx1; sx1 = v;
      const z = y - 2 * sy1 + sy2 - h.a1 * hy1 - h.a2 * hy2; // high pass: b = [1, -2, 1]
      sy2 = sy1; sy1 = y;
      hy2 = hy1; hy1 = z;
      sum += z * z;
    }
    if (i === stepEnd) {
      const k = stepEnd / step - 1;
      energy[k] = (energy[k] ?? 0) + sum;
      sum = 0;
    }
  }
  st.set([sx1, sx2, sy1, sy2, hy1, hy2]);
  return sum;
}

const lufs = (meanSquare: number) => -0.691 + 10 * Math.log10(meanSquare);

/**
 * Integrated loudness in LUFS of interleaved PCM (s16 or float) or planar float channels;
 * -Infinity for silence or under 400 ms of audio.
 * @example integratedLoudness(result.pcm, 48000) // e.g. -16.1
 */
export function integratedLoudness(signal: Signal, sampleRate: number, channels = 2): number {
  return gatedLoudness(stepEnergy(planar(signal, channels), sampleRate), Math.round(sampleRate * STEP_SECONDS));
}

// 4x oversampling for the true peak: a 48-tap windowed-sinc interpolator, 12 taps per phase.
const OVERSAMPLE = 4;
const TAPS_PER_PHASE = 12;
const PHASES: Float64Array[] = Array.from({ length: OVERSAMPLE }, (_, p) => {
  const taps = new Float64Array(TAPS_PER_PHASE);
  for (let t = 0; t < TAPS_PER_PHASE; t++) {
    const x = t - TAPS_PER_PHASE / 2 + 1 - p / OVERSAMPLE; // distance to the interpolated point, in samples
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const w = 0.5 + 0.5 * Math.cos((Math.PI * x) / (TAPS_PER_PHASE / 2)); // Hann
    taps[t] = sinc * w;
  }
  return taps;
});

/**
 * True peak in dBTP: the largest of the sample peak and the 4x-oversampled peak (BS.1770
 * annex 2). Only the two spans beside each local maximum of |x| within 6 dB of the sample
 * peak are oversampled: a band-limited signal peaks between the samples around its sample
 * peaks, and this keeps the meter cheap enough for every render (checked against ffmpeg).
 * @example truePeak(pcm) // e.g. -1.2
 */
export function truePeak(signal: Signal, channels = 2): number {
  const chans = planar(signal, channels);
  let samplePeak = 0;
  for (const x of chans) samplePeak = maxAbs(x, 0, x.length, samplePeak);
  let peak = samplePeak;
  for (const x of chans) peak = peakNearMaxima(x, TAPS_PER_PHASE / 2, x.length - TAPS_PER_PHASE / 2 - 1, samplePeak / 2, peak);
  return peak > 0 ? 20 * Math.log10(peak) : -Infinity;
}

/** The larger of `peak` and the largest |x[i]| for i in [from, to). */
function maxAbs(x: Float32Array, from: number, to: number, peak: number): number {
  for (let i = from; i < to; i++) { const v = x[i] < 0 ? -x[i] : x[i]; if (v > peak) peak = v; }
  return peak;
}

/**
 * The larger of `peak` and the oversampled peaks beside every local maximum of |x| at i in
 * [from, to) that reaches `near` (the continuous peak sits next to a sample peak).
 */
function peakNearMaxima(x: Float32Array, from: number, to: number, near: number, peak: number): number {
  for (let i = from; i < to; i++) {
    const v = x[i] < 0 ? -x[i] : x[i];
    if (v < near) continue;
    const prev = x[i - 1] < 0 ? -x[i - 1] : x[i - 1];
    const next = x[i + 1] < 0 ? -x[i + 1] : x[i + 1];
    if (v < prev || v < next) continue;
    const y = oversampledPeak(x, i);
    if (y > peak) peak = y;
  }
  return peak;
}

/**
 * Integrated loudness and true peak of planar audio measured as it grows: `add(upTo)` takes the
 * frames rendered so far, so the meter runs beside the synthesiser instead of after it. The
 * figures equal integratedLoudness() and truePeak() of the whole signal.
 * @example const m = new LoudnessMeter(left, right, 48000); m.add(24000); m.add(left.length); m.result()
 */
export class LoudnessMeter {
  private readonly k: [Biquad, Biquad];
  private readonly step: number;
  private readonly energy: number[] = [];
  // K-weighting filter state per channel (see weighSteps) and the open step's sums.
  private readonly state = [new Float64Array(6), new Float64Array(6)];
  private sums = [0, 0];
  private measured = 0;
  private peaked = 0;
  private peakedCandidates = 0;
  private samplePeak = 0;
  private peak = 0;

  private readonly left: Float32Array;
  private readonly right: Float32Array;

  constructor(left: Float32Array, right: Float32Array, rate: number) {
    this.left = left;
    this.right = right;
    this.k = kWeighting(rate);
    this.step = Math.round(rate * STEP_SECONDS);
  }

  /** Measures frames up to `upTo` (they must not change afterwards). */
  add(upTo: number): void {
    const end = Math.min(upTo, this.left.length);
    if (end <= this.measured) return;
    this.addEnergy(end);
    this.addPeaks(end);
  }

  /** Loudness (LUFS) and true peak (dBTP) of the frames measured, as if measured whole; `frames`: where the signal ends. */
  result(frames = this.measured): { loudness: number; truePeak: number; samplePeak: number } {
    this.addPeaks(frames, true);
    return { loudness: gatedLoudness(this.energy, this.step), truePeak: this.peak > 0 ? 20 * Math.log10(this.peak) : -Infinity, samplePeak: this.samplePeak };
  }

  private addEnergy(end: number): void {
    // Left first, then right: the same order of additions per step as stepEnergy().
    this.sums = [this.left, this.right].map((x, c) => weighSteps(x, this.k, this.state[c], this.measured, end, this.step, this.sums[c], this.energy));
    this.measured = end;
  }

  /** Oversamples the local maxima within 6 dB of the running sample peak: a superset of truePeak()'s, so the same maximum. */
  private addPeaks(end: number, final = false): void {
    const half = TAPS_PER_PHASE / 2;
    // A maximum at i needs i + half + 1 < length; until the end, stay that far behind.
    const limit = final ? end - half - 1 : end - half - 2;
    for (const x of [this.left, this.right]) this.samplePeak = maxAbs(x, this.peaked, Math.min(end, x.length), this.samplePeak);
    if (this.samplePeak > this.peak) this.peak = this.samplePeak;
    for (const x of [this.left, this.right]) this.peak = peakNearMaxima(x, Math.max(this.peakedCandidates, half), limit, this.samplePeak / 2, this.peak);
    this.peaked = Math.max(this.peaked, end);
    this.peakedCandidates = Math.max(this.peakedCandidates, limit);
  }
}

/** Gated integrated loudness (BS.1770's two gates) of 400 ms blocks made of four 100 ms steps' energies. */
function gatedLoudness(energy: ArrayLike<number>, step: number): number {
  const blockFrames = 4 * step;
  const blocks: number[] = [];
  for (let k = 0; k + 4 <= energy.length; k++) blocks.push((energy[k] + energy[k + 1] + energy[k + 2] + energy[k + 3]) / blockFrames);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const loud = blocks.filter((z) => lufs(z) > ABSOLUTE_GATE);
  if (loud.length === 0) return -Infinity;
  const relative = lufs(mean(loud)) + RELATIVE_GATE;
  const gated = loud.filter((z) => lufs(z) > relative);
  return gated.length ? lufs(mean(gated)) : -Infinity;
}

/** The largest |value| between the samples on either side of a sample peak at i, by 4x oversampling. */
function oversampledPeak(x: Float32Array, i: number): number {
  const half = TAPS_PER_PHASE / 2;
  let peak = 0;
  for (let k = i - 1; k <= i; k++) {
    const base = k - half + 1;
    for (let p = 1; p < OVERSAMPLE; p++) {
      const taps = PHASES[p];
      let y = 0;
      for (let t = 0; t < TAPS_PER_PHASE; t++) y += taps[t] * x[base + t];
      if (y < 0) y = -y;
      if (y > peak) peak = y;
    }
  }
  return peak;
}

/** What normalizeLoudness measured and did. */
export interface LoudnessResult {
  /** Integrated loudness before and after, LUFS. */
  before: number;
  after: number;
  /** The gain applied before the limiter, dB. */
  gainDb: number;
  /** True peak after, dBTP. */
  truePeak: number;
  /** True when the limiter had to reduce some peaks. */
  limited: boolean;
}

/**
 * A look-ahead limiter on planar float channels, in place: the gain follows the smallest
 * ceiling/|x| over the next and previous `lookahead` frames, averaged (a ramp, never above the
 * need), then released by a one-pole curve. No sample ends above `ceiling`.
 */
function limit(left: Float32Array, right: Float32Array, ceiling: number, rate: number): boolean {
  const n = left.length;
  const need = new Float32Array(n);
  let any = false;
  for (let i = 0; i < n; i++) {
    const p = Math.max(Math.abs(left[i]), Math.abs(right[i]));
    need[i] = p > ceiling ? ceiling / p : 1;
    if (p > ceiling) any = true;
  }
  if (!any) return false;
  const W = Math.max(1, Math.round(rate * 0.005)); // 5 ms attack ramp
  // Running minimum over [i - W, i + W] (monotonic deque).
  const held = new Float32Array(n);
  const dq = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let j = 0; j < n + W; j++) {
    if (j < n) {
      while (tail > head && need[dq[tail - 1]] >= need[j]) tail--;
      dq[tail++] = j;
    }
    const i = j - W;
    if (i < 0) continue;
    while (dq[head] < i - W) head++;
    held[i] = need[dq[head]];
  }
  // Moving average over [i - W/2, i + W/2] stays under every need in reach (each window holds i).
  const half = W >> 1;
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + held[i];
  const release = Math.exp(-1 / (rate * 0.08)); // 80 ms
  let env = 1;
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - half);
    const b = Math.min(n, i + half + 1);
    const smooth = (prefix[b] - prefix[a]) / (b - a);
    env = Math.min(smooth, 1 - (1 - env) * release);
    left[i] *= env;
    right[i] *= env;
  }
  return true;
}

/**
 * The gain that brings measured audio to `target` LUFS, and whether the limiter is needed
 * after it (a sample over the ceiling less 0.5 dB, or a true peak over the ceiling); without
 * the limiter, applying the gain is all normalizeLoudness() would do.
 * @example gainFor({ loudness: -28, truePeak: -9, samplePeak: 0.3 }) // { gainDb: 12, limit: false }
 */
export function gainFor(m: { loudness: number; truePeak: number; samplePeak: number }, options: { target?: number; ceiling?: number } = {}): { gainDb: number; limit: boolean } {
  if (!Number.isFinite(m.loudness)) return { gainDb: 0, limit: false };
  const ceilingDb = options.ceiling ?? CEILING_DBTP;
  const gainDb = Math.min((options.target ?? TARGET_LUFS) - m.loudness, MAX_GAIN_DB);
  const g = 10 ** (gainDb / 20);
  const limit = m.samplePeak * g > 10 ** ((ceilingDb - 0.5) / 20) || m.truePeak + gainDb > ceilingDb;
  return { gainDb, limit };
}

/** Multiplies planar audio by a gain in dB, in place (the same arithmetic as normalizeLoudness). */
export function applyGain(left: Float32Array, right: Float32Array, gainDb: number): void {
  const g = 10 ** (gainDb / 20);
  for (let i = 0; i < left.length; i++) { left[i] *= g; right[i] *= g; }
}

/**
 * Scales planar float audio in place to `target` LUFS (at most +30 dB), then limits it so its
 * true peak stays at or under `ceiling` dBTP (`fixedGainDb`: this gain instead of the measured
 * one). Silence is left alone.
 * @example normalizeLoudness(left, right, 48000) // { before: -23.4, after: -16.0, ... }
 */
export function normalizeLoudness(left: Float32Array, right: Float32Array, sampleRate: number, options: { target?: number; ceiling?: number; fixedGainDb?: number } = {}): LoudnessResult {
  const target = options.target ?? TARGET_LUFS;
  const ceilingDb = options.ceiling ?? CEILING_DBTP;
  const before = integratedLoudness([left, right], sampleRate);
  if (!Number.isFinite(before) && options.fixedGainDb === undefined) return { before, after: before, gainDb: 0, truePeak: truePeak([left, right]), limited: false };
  // fixedGainDb: a stream's later chunks keep the gain measured on its beginning.
  const gainDb = options.fixedGainDb ?? Math.min(target - before, MAX_GAIN_DB);
  let g = 10 ** (gainDb / 20);
  for (let i = 0; i < left.length; i++) { left[i] *= g; right[i] *= g; }
  // Sample peaks limited 0.5 dB under the ceiling leave room for inter-sample peaks.
  let ceiling = 10 ** ((ceilingDb - 0.5) / 20);
  let limited = limit(left, right, ceiling, sampleRate);
  let peak = truePeak([left, right]);
  for (let tries = 0; peak > ceilingDb && tries < 3; tries++) {
    ceiling *= 10 ** ((ceilingDb - peak - 0.1) / 20);
    limited = limit(left, right, ceiling, sampleRate) || limited;
    peak = truePeak([left, right]);
  }
  if (peak > ceilingDb) {
    g = 10 ** ((ceilingDb - peak) / 20); // last resort: plain gain
    for (let i = 0; i < left.length; i++) { left[i] *= g; right[i] *= g; }
    peak = ceilingDb;
  }
  return { before, after: integratedLoudness([left, right], sampleRate), gainDb, truePeak: peak, limited };
}
