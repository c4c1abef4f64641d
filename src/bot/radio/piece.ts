/**
 * One radio piece: composed from the last bars of the one before (same key, the tempo carried
 * over), cut to its new bars and joined to the previous piece's ringing ending. The radio
 * session and `mixtape bench` (first packet after /radio) make pieces here.
 */
import { MixtapeError } from '../../engine/errors.ts';
import { readMidi, writeMidi } from '../../engine/midi.ts';
import { beatToSeconds } from '../../engine/score.ts';
import { musicalEndSeconds, scoreTail } from '../../engine/segue.ts';
import { mixTailInto, slicePcm } from '../../render/mixdown.ts';
import type { ComposeResult } from '../../studio/types.ts';
import type { Studio } from '../types.ts';

const RATE = 48000;
/** Frames (samples per channel) in one 20 ms voice packet. */
const FRAME = 960;
/** Bars of a piece's ending the next one continues from. */
export const PRIMER_BARS = 2;
/** Seconds over which one piece fades into the next. */
export const TRANSITION_SECONDS = 1;

export interface RadioSettings {
  genre: string;
  instrument?: string;
  temperature?: number;
  /** bpm; absent: carried over from the piece before (the genre's default at first). */
  tempo?: number;
  /** New bars per piece. */
  bars: number;
}

/** A composed piece, ready to play. */
export interface Piece {
  result: ComposeResult;
  settings: RadioSettings;
  /** What the stream plays: the new bars (a whole number of 20 ms frames), the fade from the previous piece included. */
  pcm: Int16Array;
  /** The ringing after the last bar, faded under the next piece. */
  tail: Int16Array;
  /** True when it carries on from a piece before it. */
  continued: boolean;
  trackId?: string;
}

/**
 * Composes the piece after `previous` (the first when null).
 * @example const first = await composePiece(studio, { genre: 'celtic', bars: 16 }, null, 7)
 */
export async function composePiece(studio: Pick<Studio, 'composeTrack'>, settings: RadioSettings, previous: Piece | null, seed: number): Promise<Piece> {
  const s = { ...settings };
  const primer = previous ? scoreTail(readMidi(previous.result.midi), PRIMER_BARS) : null;
  const result = await studio.composeTrack({
    genre: s.genre,
    bars: s.bars,
    instrument: s.instrument,
    temperature: s.temperature,
    tempo: s.tempo ?? previous?.result.tempo,
    seed,
    primerMidi: primer ? writeMidi(primer) : undefined,
    formats: ['ogg'],
  });
  if (!result.pcm?.length) throw new MixtapeError('UNAVAILABLE', 'the piece has no audio');
  const score = readMidi(result.midi);
  const end = musicalEndSeconds(score);
  // The primer's bars are the previous piece's ending, already heard: start after them.
  const from = primer ? beatToSeconds(score, primer.lengthBeats) : 0;
  // The new bars to a whole 20 ms frame (the tail starts there), so pieces join without a gap.
  const a = Math.round(from * RATE);
  const b = a + Math.ceil((Math.round(end * RATE) - a) / FRAME) * FRAME;
  const body = slicePcm(result.pcm, RATE, a / RATE, b / RATE);
  const tail = slicePcm(result.pcm, RATE, b / RATE, b / RATE + TRANSITION_SECONDS);
  // The transition: the previous piece's last notes ring out, fading, under the new bars.
  const joined = previous?.tail.length ? mixTailInto(body, previous.tail) : body;
  return { result, settings: s, pcm: joined, tail, continued: Boolean(previous) };
}
