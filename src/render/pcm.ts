/** PCM helpers: float stereo <-> interleaved signed 16-bit, and simple downsampling. */

/** Interleaves float L/R into s16le samples with clipping. @example toS16Interleaved(l, r).length // 2 * l.length */
export function toS16Interleaved(left: Float32Array, right: Float32Array): Int16Array {
  const n = Math.min(left.length, right.length);
  const out = new Int16Array(n * 2);
  for (let i = 0; i < n; i++) {
    const l = left[i] * 32767;
    const r = right[i] * 32767;
    out[2 * i] = l > 32767 ? 32767 : l < -32768 ? -32768 : l;
    out[2 * i + 1] = r > 32767 ? 32767 : r < -32768 ? -32768 : r;
  }
  return out;
}

/** Stereo interleaved s16 PCM plus its rate. */
export interface Pcm16 { samples: Int16Array; sampleRate: number; channels: 1 | 2 }

/**
 * Downsamples interleaved stereo s16 by an integer factor (box filter: averaging the
 * `factor` samples also removes most of what would alias), optionally mixing to mono.
 * @example downsample(pcm, 2, 2).sampleRate // 24000
 */
export function downsample(pcm: Pcm16, factor: number, channels: 1 | 2): Pcm16 {
  const inCh = pcm.channels;
  const frames = Math.floor(pcm.samples.length / inCh / factor);
  const out = new Int16Array(frames * channels);
  const s = pcm.samples;
  for (let f = 0; f < frames; f++) {
    let l = 0;
    let r = 0;
    const base = f * factor * inCh;
    for (let k = 0; k < factor; k++) {
      l += s[base + k * inCh];
      r += s[base + k * inCh + inCh - 1];
    }
    if (channels === 2) {
      out[2 * f] = Math.round(l / factor);
      out[2 * f + 1] = Math.round(r / factor);
    } else out[f] = Math.round((l + r) / (2 * factor));
  }
  return { samples: out, sampleRate: pcm.sampleRate / factor, channels };
}

/** Duration in seconds of interleaved PCM. */
export const pcmSeconds = (pcm: Pcm16) => pcm.samples.length / pcm.channels / pcm.sampleRate;
