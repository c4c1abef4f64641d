/** WAV (RIFF PCM 16-bit) writer in pure TypeScript, fitted under a byte budget. */
import { MixtapeError } from '../engine/errors.ts';
import { downsample, type Pcm16 } from './pcm.ts';

const HEADER_BYTES = 44;

/** Wraps s16 PCM in a 44-byte RIFF header. @example wavBytes({ samples, sampleRate: 48000, channels: 2 }) */
export function wavBytes(pcm: Pcm16): Uint8Array {
  const dataBytes = pcm.samples.length * 2;
  const out = new Uint8Array(HEADER_BYTES + dataBytes);
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string) => { for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i); };
  ascii(0, 'RIFF');
  v.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, pcm.channels, true);
  v.setUint32(24, pcm.sampleRate, true);
  v.setUint32(28, pcm.sampleRate * pcm.channels * 2, true);
  v.setUint16(32, pcm.channels * 2, true);
  v.setUint16(34, 16, true);
  ascii(36, 'data');
  v.setUint32(40, dataBytes, true);
  // Little-endian hosts (x86, ARM) can copy the samples as they are.
  out.set(new Uint8Array(pcm.samples.buffer, pcm.samples.byteOffset, dataBytes), HEADER_BYTES);
  return out;
}

/** Quality ladder from best to smallest: [downsample factor from 48 kHz, channels]. */
const LADDER: [number, 1 | 2][] = [[1, 2], [2, 2], [2, 1], [3, 1], [4, 1], [6, 1]];

/** The best WAV that fits `maxBytes`: full 48 kHz stereo, else lower rates / mono. LIMIT error if nothing fits. */
export function encodeWavWithin(pcm: Pcm16, maxBytes: number): Uint8Array {
  const frames = pcm.samples.length / pcm.channels;
  for (const [factor, channels] of LADDER) {
    if (HEADER_BYTES + Math.floor(frames / factor) * channels * 2 <= maxBytes) {
      return wavBytes(factor === 1 && channels === pcm.channels ? pcm : downsample(pcm, factor, channels));
    }
  }
  throw new MixtapeError('LIMIT', `the piece is too long for a WAV under ${(maxBytes / 1048576).toFixed(1)} MiB; choose ogg or mp3`);
}
