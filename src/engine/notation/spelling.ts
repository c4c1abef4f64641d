/**
 * Key signatures and pitch spelling shared by the ABC and MusicXML writers (and the ABC reader):
 * a key is a count of fifths (-7..7); a pitch is spelled as a letter, an alteration and an octave.
 */
import type { Key } from '../key.ts';

/** Letters in scale order and their pitch classes. */
export const LETTERS = ['C', 'D', 'E', 'F', 'G', 'A', 'B'] as const;
export type Letter = (typeof LETTERS)[number];
export const LETTER_PC: Record<Letter, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

/** A written pitch: C4 is MIDI 60. */
export interface Spelled {
  letter: Letter;
  /** -2..2 semitones (flat = -1, sharp = 1). */
  alter: number;
  octave: number;
}

const SHARP_ORDER: Letter[] = ['F', 'C', 'G', 'D', 'A', 'E', 'B'];
const FLAT_ORDER: Letter[] = ['B', 'E', 'A', 'D', 'G', 'C', 'F'];
/** Fifths of each major key root by pitch class (the flat spelling for 6 is Gb, -6). */
const MAJOR_FIFTHS = [0, -5, 2, -3, 4, -1, 6, 1, -4, 3, -2, 5];
/** Fifths a mode sits from its major key with the same root (dorian on D is C major: -2). */
export const MODE_FIFTHS: Record<string, number> = {
  major: 0, ionian: 0, lydian: 1, mixolydian: -1, dorian: -2, minor: -3, aeolian: -3, phrygian: -4, locrian: -5,
};

/** Fifths of a key (sharps > 0, flats < 0), folded into -7..7. @example keyFifths({ root: 2, mode: 'major' }) // 2 */
export function keyFifths(key: Key): number {
  let f = MAJOR_FIFTHS[((key.root % 12) + 12) % 12] + (MODE_FIFTHS[key.mode] ?? 0);
  while (f > 7) f -= 12;
  while (f < -7) f += 12;
  return f;
}

/** The alteration each letter carries in a key signature. @example signature(2).F // 1 */
export function signature(fifths: number): Record<Letter, number> {
  const sig: Record<Letter, number> = { C: 0, D: 0, E: 0, F: 0, G: 0, A: 0, B: 0 };
  if (fifths > 0) for (const l of SHARP_ORDER.slice(0, fifths)) sig[l] = 1;
  if (fifths < 0) for (const l of FLAT_ORDER.slice(0, -fifths)) sig[l] = -1;
  return sig;
}

const SHARP_NAMES: [Letter, number][] = [['C', 0], ['C', 1], ['D', 0], ['D', 1], ['E', 0], ['F', 0], ['F', 1], ['G', 0], ['G', 1], ['A', 0], ['A', 1], ['B', 0]];
const FLAT_NAMES: [Letter, number][] = [['C', 0], ['D', -1], ['D', 0], ['E', -1], ['E', 0], ['F', 0], ['G', -1], ['G', 0], ['A', -1], ['A', 0], ['B', -1], ['B', 0]];

/**
 * How a MIDI pitch is written in a key: the key's own notes as the signature spells them,
 * other notes with sharps in sharp keys and flats in flat keys.
 * @example spell(66, 2) // { letter: 'F', alter: 1, octave: 4 }
 */
export function spell(pitch: number, fifths: number): Spelled {
  const pc = ((pitch % 12) + 12) % 12;
  const sig = signature(fifths);
  let choice: [Letter, number] | undefined;
  for (const l of LETTERS) if ((LETTER_PC[l] + sig[l] + 12) % 12 === pc) choice = [l, sig[l]];
  choice ??= (fifths < 0 ? FLAT_NAMES : SHARP_NAMES)[pc];
  const [letter, alter] = choice;
  return { letter, alter, octave: Math.floor((pitch - alter - LETTER_PC[letter]) / 12) - 1 };
}

/** MIDI pitch of a spelled note. @example midiOf({ letter: 'C', alter: 0, octave: 4 }) // 60 */
export const midiOf = (s: Spelled): number => (s.octave + 1) * 12 + LETTER_PC[s.letter] + s.alter;

/**
 * Which accidentals a bar shows: an accidental holds for the same letter and octave until the
 * bar line, as in both ABC and staff notation. `show` returns the alteration to print, or null.
 */
export class BarAccidentals {
  private sig: Record<Letter, number>;
  private current = new Map<string, number>();
  constructor(fifths: number) {
    this.sig = signature(fifths);
  }
  /** Starts a new bar: only the key signature holds. */
  reset(): void {
    this.current.clear();
  }
  /** A new key signature (a `K:` change); the bar's own accidentals stay. */
  setSignature(sig: Record<Letter, number>): void {
    this.sig = { ...sig };
  }
  /** Reading: the alteration a note has, given the accidental written on it (null when none). */
  resolve(s: Pick<Spelled, 'letter' | 'octave'>, written: number | null): number {
    const key = `${s.letter}${s.octave}`;
    if (written !== null) {
      this.current.set(key, written);
      return written;
    }
    return this.current.get(key) ?? this.sig[s.letter];
  }
  /** The alteration to print for this note (null when the context already implies it). */
  show(s: Spelled): number | null {
    const key = `${s.letter}${s.octave}`;
    const implied = this.current.get(key) ?? this.sig[s.letter];
    if (implied === s.alter) return null;
    this.current.set(key, s.alter);
    return s.alter;
  }
}
