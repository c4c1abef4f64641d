/**
 * First voice packet: from the moment a track's audio is asked for to its first 20 ms Opus
 * packet, for a track whose audio must be rendered from MIDI (an old track, a remix), as the
 * voice player gets it: whole render then encode (before), and the streamed render (now);
 * and from /radio to its first packet: the first piece composed and rendered as the radio
 * makes it (src/bot/radio/piece.ts), then its first packet. Other paths can register their
 * own probe with `registerVoiceProbe`.
 */
import { benchPiece } from '../render/bench.ts';
import { getRenderer, renderPcmStream, renderScore, scoreToMidi } from '../render/index.ts';
import { opusPackets } from '../render/opus.ts';
import { composePiece } from '../bot/radio/piece.ts';
import { median } from './stats.ts';

/** A probe: resolves with the ms from its request to its first Opus packet. */
export type VoiceProbe = () => Promise<number>;

const probes = new Map<string, VoiceProbe>();

/**
 * Adds a first-packet figure to `mixtape bench` (e.g. 'radio': from /radio to its first packet).
 * @example registerVoiceProbe('radio', async () => { ...; return ms })
 */
export function registerVoiceProbe(name: string, probe: VoiceProbe): void {
  probes.set(name, probe);
}

export interface VoiceBench {
  /** Seconds of music in the probe piece. */
  musicSeconds: number;
  /** Median ms to the first packet: whole render first, and streamed. */
  wholeMs: number;
  streamedMs: number;
  /** Median ms from /radio to its first packet (first piece of `radioBars` bars, warm process), and the bars. */
  radioMs: number;
  radioBars: number;
  /** Registered probes by name (median ms), and any that failed. */
  probes: Record<string, number>;
  probeErrors: Record<string, string>;
}

/** First Opus packet of some PCM. */
const firstPacket = (pcm: Int16Array) => opusPackets(pcm).next().value;

/**
 * Times the first packet of a `bars`-bar piano piece (2 s per bar) both ways, `runs` times each.
 * @example (await benchVoice({ bars: 90 })).streamedMs
 */
export async function benchVoice(options: { bars?: number; runs?: number; radioBars?: number } = {}): Promise<VoiceBench> {
  const bars = options.bars ?? 90;
  const runs = options.runs ?? 3;
  const radioBars = options.radioBars ?? 16;
  const midi = scoreToMidi(benchPiece(bars));
  await getRenderer().ready();
  const whole: number[] = [];
  const streamed: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    const r = await renderScore(midi, { formats: [], picture: false });
    firstPacket(r.pcm);
    whole.push(performance.now() - t0);
    t0 = performance.now();
    const stream = renderPcmStream(midi);
    const first = await stream.next();
    if (first.value) firstPacket(first.value);
    streamed.push(performance.now() - t0);
    for await (const _ of stream) void _; // let the render finish before the next run
  }
  // /radio: its first piece (no primer), composed as the radio does, warm (one piece first).
  const studio = await import('../studio/index.ts');
  await composePiece(studio, { genre: 'celtic', bars: radioBars }, null, 1);
  const radio: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const piece = await composePiece(studio, { genre: 'celtic', bars: radioBars }, null, 2 + i);
    firstPacket(piece.pcm);
    radio.push(performance.now() - t0);
  }
  const results: Record<string, number> = {};
  const probeErrors: Record<string, string> = {};
  for (const [name, probe] of probes) {
    try {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) times.push(await probe());
      results[name] = median(times);
    } catch (e) {
      probeErrors[name] = (e as Error)?.message ?? String(e);
    }
  }
  return { musicSeconds: bars * 2, wholeMs: median(whole), streamedMs: median(streamed), radioMs: median(radio), radioBars, probes: results, probeErrors };
}
