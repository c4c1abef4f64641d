/**
 * Joining rendered pieces: cross-fades (the weekly mixtape), a tail mixed under the next
 * piece (the radio) and slicing by seconds. Interleaved stereo s16 PCM in and out, pure.
 */

const CH = 2;
const clip = (v: number) => (v > 32767 ? 32767 : v < -32768 ? -32768 : Math.round(v));

/** Frames (samples per channel) of interleaved stereo PCM. @example pcmFrames(new Int16Array(8)) // 4 */
export const pcmFrames = (pcm: Int16Array): number => Math.floor(pcm.length / CH);

/** The part of `pcm` between two times in seconds (clamped). @example slicePcm(pcm, 48000, 1, 2).length // 96000 */
export function slicePcm(pcm: Int16Array, rate: number, fromSeconds: number, toSeconds = Infinity): Int16Array {
  const frames = pcmFrames(pcm);
  const a = Math.max(0, Math.min(frames, Math.round(fromSeconds * rate)));
  const b = Math.max(a, Math.min(frames, Math.round(toSeconds * rate)));
  return pcm.slice(a * CH, b * CH);
}

/**
 * Adds `tail` into the start of `pcm`, fading the tail out linearly (a ringing ending under
 * the next piece's start). The result is as long as the longer of the two.
 * @example mixTailInto(next, previousTail).length >= next.length
 */
export function mixTailInto(pcm: Int16Array, tail: Int16Array): Int16Array {
  const out = new Int16Array(Math.max(pcm.length, tail.length));
  out.set(pcm);
  const frames = pcmFrames(tail);
  for (let f = 0; f < frames; f++) {
    const g = 1 - f / frames;
    for (let c = 0; c < CH; c++) out[f * CH + c] = clip(out[f * CH + c] + tail[f * CH + c] * g);
  }
  return out;
}

export interface Joined {
  pcm: Int16Array;
  /** Where each part starts in the result, in frames. */
  starts: number[];
}

/**
 * Concatenates parts with an equal-power cross-fade of `fadeFrames` between neighbours
 * (shortened where a part is shorter than two fades). Length = sum of parts minus the fades.
 * @example crossfadeConcat([a, b], 48000).pcm.length // a.length + b.length - 2 * 48000
 */
export function crossfadeConcat(parts: readonly Int16Array[], fadeFrames: number): Joined {
  const lengths = parts.map(pcmFrames);
  const fades = lengths.slice(1).map((len, i) => Math.max(0, Math.min(Math.floor(fadeFrames), Math.floor(len / 2), Math.floor(lengths[i] / 2))));
  const total = lengths.reduce((s, n) => s + n, 0) - fades.reduce((s, n) => s + n, 0);
  const out = new Float32Array(Math.max(0, total) * CH);
  const starts: number[] = [];
  let at = 0;
  parts.forEach((part, i) => {
    if (i > 0) at -= fades[i - 1];
    starts.push(at);
    const fadeIn = i > 0 ? fades[i - 1] : 0;
    const fadeOut = i < fades.length ? fades[i] : 0;
    const len = lengths[i];
    for (let f = 0; f < len; f++) {
      let g = 1;
      if (f < fadeIn) g = Math.sin((Math.PI / 2) * ((f + 0.5) / fadeIn));
      else if (f >= len - fadeOut) g = Math.cos((Math.PI / 2) * ((f - (len - fadeOut) + 0.5) / fadeOut));
      for (let c = 0; c < CH; c++) out[(at + f) * CH + c] += part[f * CH + c] * g;
    }
    at += len;
  });
  const pcm = new Int16Array(out.length);
  for (let k = 0; k < out.length; k++) pcm[k] = clip(out[k]);
  return { pcm, starts };
}
