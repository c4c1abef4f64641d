/**
 * A test studio for the radio: each piece (primer bars included) lasts as long as its bars
 * take at its tempo, plus a second of ringing, and is a sine whose pitch changes from one
 * piece to the next, so a test can tell the pieces apart in what voice received.
 */
import type { ComposeRequest } from '../../src/studio/types.ts';
import { createTestStudio, sinePcm, type TestStudio } from '../bot/test-studio.ts';

/** The tones of successive pieces, Hz (neighbours differ by at least 60 Hz). */
export const RADIO_TONES = [330, 440, 550, 390, 500, 610];
/** Seconds of ringing after the last bar. */
export const RING_SECONDS = 1;

export interface RadioStudio extends TestStudio {
  /** Every radio request in order (with its tone). */
  pieces: { req: ComposeRequest; hz: number }[];
}

export function createRadioStudio(composeMs = 40): RadioStudio {
  const base = createTestStudio({ composeMs });
  const pieces: RadioStudio['pieces'] = [];
  return {
    ...base,
    pieces,
    async composeTrack(req, onProgress) {
      const r = await base.composeTrack(req, onProgress);
      const hz = RADIO_TONES[pieces.length % RADIO_TONES.length];
      pieces.push({ req, hz });
      const seconds = (r.bars * 4 * 60) / r.tempo + RING_SECONDS;
      return { ...r, pcm: sinePcm(hz, seconds), durationSeconds: seconds };
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
