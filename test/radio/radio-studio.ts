/**
 * A test studio for the radio: each piece (primer bars included) lasts as long as its bars
 * take at its tempo, plus a second of ringing, and is a sine whose pitch changes from one
 * piece to the next, so a test can tell the pieces apart in what voice received.
 */
import type { ComposeRequest } from '../../src/studio/types.ts';
import { PNG } from 'pngjs';
import { MixtapeError } from '../../src/engine/errors.ts';
import { readMidi } from '../../src/engine/midi.ts';
import { createTestStudio, makeMidi, sinePcm, type TestStudio } from '../bot/test-studio.ts';

const PNG_BYTES = PNG.sync.write(Object.assign(new PNG({ width: 16, height: 8 }), {}));

const RATE = 48000;
const oneSecond = new Map<number, Int16Array>();

/**
 * A sine of whole-number Hz, tiled from one cached second (a second holds whole cycles): as
 * cheap as a copy, so the studio, which runs on the bot's thread here, never holds up voice
 * (the real studio synthesises in worker threads).
 */
function tone(hz: number, seconds: number): Int16Array {
  let second = oneSecond.get(hz);
  if (!second) oneSecond.set(hz, (second = sinePcm(hz, 1)));
  const out = new Int16Array(Math.round(RATE * seconds) * 2);
  for (let o = 0; o < out.length; o += second.length) out.set(second.subarray(0, Math.min(second.length, out.length - o)), o);
  return out;
}

/** The tones of successive pieces, Hz (neighbours differ by at least 60 Hz). */
export const RADIO_TONES = [330, 440, 550, 390, 500, 610];
/** Seconds of ringing after the last bar. */
export const RING_SECONDS = 1;

export interface RadioStudio extends TestStudio {
  /** Every radio request in order (with its tone). */
  pieces: { req: ComposeRequest; hz: number }[];
}

export function createRadioStudio(composeMs = 40): RadioStudio {
  const base = createTestStudio();
  const pieces: RadioStudio['pieces'] = [];
  return {
    ...base,
    pieces,
    async composeTrack(req, onProgress) {
      base.composeCalls.push(req);
      if (!base.listGenres().includes(req.genre)) throw new MixtapeError('UNKNOWN_GENRE', `unknown genre ${req.genre}`);
      await new Promise((r) => setTimeout(r, composeMs));
      onProgress?.({ stage: 'generate', fraction: 1 });
      const hz = RADIO_TONES[pieces.length % RADIO_TONES.length];
      pieces.push({ req, hz });
      const tempo = req.tempo ?? 120;
      const bars = (req.primerMidi ? Math.ceil(readMidi(req.primerMidi).lengthBeats / 4 - 1e-6) : 0) + req.bars;
      const seconds = (bars * 4 * 60) / tempo + RING_SECONDS;
      const seed = req.seed ?? 1;
      return {
        title: `Radio piece ${pieces.length}`, genre: req.genre, modelName: '', bars, tempo, seed, meter: '4/4',
        temperature: req.temperature ?? 1, instrument: req.instrument ?? 'piano', durationSeconds: seconds,
        midi: makeMidi(bars, tempo), audio: [{ format: 'ogg', bytes: new TextEncoder().encode('OggS-not-really-' + seed) }],
        png: PNG_BYTES, pcm: tone(hz, seconds), timings: { generateMs: 1, renderMs: 1, encodeMs: 1, imageMs: 1 },
      };
    },
  };
}

/** Frequency of a mono window by zero crossings. */
function windowHz(left: Int16Array | number[], from: number, to: number): number {
  let crossings = 0;
  for (let i = from + 1; i < to; i++) if ((left[i - 1] < 0) !== (left[i] < 0)) crossings++;
  return crossings / 2 / ((to - from) / 48000);
}

/**
 * The runs of one tone in decoded stereo PCM: windows of `windowSeconds`, each labelled with
 * the nearest known tone (or none when silent or mixed), consecutive equal labels merged.
 */
export function toneRuns(pcm: Int16Array, windowSeconds = 0.25): { hz: number; seconds: number }[] {
  const n = Math.floor(pcm.length / 2);
  const left = new Int16Array(n);
  for (let i = 0; i < n; i++) left[i] = pcm[2 * i];
  const w = Math.round(48000 * windowSeconds);
  const runs: { hz: number; seconds: number }[] = [];
  for (let a = 0; a + w <= n; a += w) {
    let energy = 0;
    for (let i = a; i < a + w; i++) energy += left[i] * left[i];
    const hz = windowHz(left, a, a + w);
    const tone = RADIO_TONES.find((t) => Math.abs(t - hz) < 12);
    const label = Math.sqrt(energy / w) > 2000 && tone ? tone : 0;
    const last = runs.at(-1);
    if (last && last.hz === label) last.seconds += windowSeconds;
    else runs.push({ hz: label, seconds: windowSeconds });
  }
  return runs;
}
