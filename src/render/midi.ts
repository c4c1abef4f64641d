/**
 * Score <-> MIDI bytes for the render stage: the engine's bounded reader and writer, under the
 * names the render code uses.
 */
import { readMidi, writeMidi } from '../engine/midi.ts';
import type { Score } from '../engine/score.ts';

/** Encodes a Score as a Standard MIDI File. @example scoreToMidi(score).length > 0 */
export const scoreToMidi = (score: Score): Uint8Array => writeMidi(score);

/** Decodes MIDI bytes to a Score; typed MixtapeErrors for anything unreadable. @example midiToScore(bytes).tracks */
export const midiToScore = (bytes: Uint8Array, title = 'untitled'): Score => readMidi(bytes, { title });
