/**
 * 48 kHz stereo s16 PCM -> Opus packets (20 ms frames) for Discord voice, using opusscript
 * (wasm, no native build). The Readable works with @discordjs/voice:
 * `createAudioResource(opusStream(pcm), { inputType: StreamType.Opus })`.
 */
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import type OpusScriptType from 'opusscript';

const OpusScript = createRequire(import.meta.url)('opusscript') as typeof OpusScriptType;

export const OPUS_RATE = 48000;
export const OPUS_CHANNELS = 2;
/** 20 ms at 48 kHz: the frame Discord expects. */
export const FRAME_SAMPLES = 960;
const OPUS_SET_BITRATE = 4002;

export interface OpusOptions {
  /** Bits per second (default 96,000). */
  bitrate?: number;
}

/**
 * A 48 kHz stereo Opus encoder for music at `bitrate` bits per second (default 96,000); free it
 * with `delete()`. @example const enc = opusEncoder(); enc.encode(frameBytes, FRAME_SAMPLES); enc.delete()
 */
export function opusEncoder(bitrate = 96000): OpusScriptType {
  const encoder = new OpusScript(OPUS_RATE, OPUS_CHANNELS, OpusScript.Application.AUDIO);
  encoder.encoderCTL(OPUS_SET_BITRATE, bitrate);
  return encoder;
}

/**
 * Encodes interleaved stereo s16 PCM into Opus packets lazily, one per 20 ms; the last frame is zero-padded.
 * @example for (const packet of opusPackets(pcm)) send(packet)
 */
export function* opusPackets(pcm: Int16Array, options: OpusOptions = {}): Generator<Buffer> {
  const encoder = opusEncoder(options.bitrate);
  try {
    const frame = FRAME_SAMPLES * OPUS_CHANNELS;
    const pcmBytes = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    for (let i = 0; i < pcm.length; i += frame) {
      let chunk = pcmBytes.subarray(i * 2, (i + frame) * 2);
      if (chunk.length < frame * 2) {
        const padded = Buffer.alloc(frame * 2);
        chunk.copy(padded);
        chunk = padded;
      }
      // Copy: the encoder may hand back a view into its own memory.
      yield Buffer.from(encoder.encode(chunk, FRAME_SAMPLES));
    }
  } finally {
    encoder.delete();
  }
}

/** All packets at once. @example encodeOpusPackets(pcm).length // ceil(frames / 960) */
export function encodeOpusPackets(pcm: Int16Array, options: OpusOptions = {}): Buffer[] {
  return [...opusPackets(pcm, options)];
}

/** An object-mode Readable of Opus packets, encoded as the player pulls them. */
export function opusStream(pcm: Int16Array, options: OpusOptions = {}): Readable {
  return Readable.from(opusPackets(pcm, options), { objectMode: true });
}

/** Decodes packets back to interleaved stereo s16 PCM (for tests and checks). */
export function decodeOpusPackets(packets: Iterable<Uint8Array>): Int16Array {
  const decoder = new OpusScript(OPUS_RATE, OPUS_CHANNELS, OpusScript.Application.AUDIO);
  try {
    const parts: Buffer[] = [];
    for (const p of packets) parts.push(Buffer.from(decoder.decode(Buffer.from(p))));
    const all = Buffer.concat(parts);
    const out = new Int16Array(all.byteLength >> 1);
    new Uint8Array(out.buffer).set(all.subarray(0, out.byteLength));
    return out;
  } finally {
    decoder.delete();
  }
}
