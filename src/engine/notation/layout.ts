/**
 * A Score laid out for notation: each track split into voices of chords that never overlap
 * (notes starting and ending together share a chord), on the 16th-note grid, cut into bars
 * of writable note values tied across bar lines. Both the ABC and the MusicXML writers read it.
 */
import { detectKey } from '../key.ts';
import { quantizeNotes, mainTimeSignature, stepsPerBarOf, STEPS_PER_BEAT } from '../quantize.ts';
import type { Score, TimeSignature, Track } from '../score.ts';
import { allNotes } from '../score.ts';
import { keyFifths } from './spelling.ts';

/** A note or a chord (pitches sorted low to high), or a rest when `pitches` is empty; lengths in 16th steps. */
export interface BarItem {
  pitches: number[];
  steps: number;
  /** Tied to the next item of the same voice (a note cut at a bar line or into writable values). */
  tie: boolean;
}

export interface LaidVoice {
  /** One list of items per bar; each bar's items add up to the bar's length. */
  bars: BarItem[][];
}

export interface LaidPart {
  name: string;
  program: number;
  isDrum: boolean;
  voices: LaidVoice[];
}

export interface Layout {
  meter: TimeSignature;
  stepsPerBar: number;
  barCount: number;
  /** Key signature in fifths, from the notes (major or minor). */
  fifths: number;
  mode: 'major' | 'minor';
  bpm: number;
  parts: LaidPart[];
}

/** Note values a score can show without ties: 16th, 8th, dotted 8th, quarter, ... dotted whole. */
export const WRITABLE_STEPS = [24, 16, 12, 8, 6, 4, 3, 2, 1] as const;

/** Most voices one track may spread over; more simultaneous lines are merged into the last. */
const MAX_VOICES = 8;

interface Chord {
  start: number;
  end: number;
  pitches: number[];
}

/** Splits one track into voices of non-overlapping chords (greedy, the highest line first). */
function voicesOf(track: Track): Chord[][] {
  const byKey = new Map<string, Chord>();
  for (const n of quantizeNotes(track.notes)) {
    const key = `${n.start}:${n.end}`;
    const chord = byKey.get(key) ?? { start: n.start, end: n.end, pitches: [] };
    if (!chord.pitches.includes(n.pitch)) chord.pitches.push(n.pitch);
    byKey.set(key, chord);
  }
  const chords = [...byKey.values()].sort((a, b) => a.start - b.start || Math.max(...b.pitches) - Math.max(...a.pitches));
  const voices: Chord[][] = [];
  for (const c of chords) {
    c.pitches.sort((a, b) => a - b);
    let v = voices.find((list) => list[list.length - 1].end <= c.start);
    if (!v && voices.length < MAX_VOICES) voices.push((v = []));
    if (!v) {
      // Too many lines at once: shorten the last voice's chord so this one can follow it.
      v = voices[voices.length - 1];
      const last = v[v.length - 1];
      if (last.start >= c.start) continue;
      last.end = c.start;
    }
    v.push(c);
  }
  return voices;
}

/** Cuts a length into writable note values, longest first. @example writableParts(5) // [4, 1] */
export function writableParts(steps: number): number[] {
  const out: number[] = [];
  let left = steps;
  while (left > 0) {
    const v = WRITABLE_STEPS.find((w) => w <= left)!;
    out.push(v);
    left -= v;
  }
  return out;
}

/** One voice's chords as bars of items; rests fill the gaps. */
function barsOf(chords: Chord[], stepsPerBar: number, barCount: number): BarItem[][] {
  const bars: BarItem[][] = Array.from({ length: barCount }, () => []);
  const put = (start: number, end: number, pitches: number[]) => {
    let t = start;
    while (t < end) {
      const bar = Math.floor(t / stepsPerBar);
      const stop = Math.min(end, (bar + 1) * stepsPerBar);
      const parts = writableParts(stop - t);
      parts.forEach((steps, i) => {
        const last = stop === end && i === parts.length - 1;
        bars[bar].push({ pitches, steps, tie: pitches.length > 0 && !last });
      });
      t = stop;
    }
  };
  let cursor = 0;
  for (const c of chords) {
    if (c.start > cursor) put(cursor, c.start, []);
    put(c.start, c.end, c.pitches);
    cursor = c.end;
  }
  if (cursor < barCount * stepsPerBar) put(cursor, barCount * stepsPerBar, []);
  return bars;
}

/**
 * Lays a score out for notation. Uses the score's main meter throughout.
 * @example layout(score).parts[0].voices[0].bars.length // the number of bars
 */
export function layout(score: Score): Layout {
  const meter = mainTimeSignature(score);
  const stepsPerBar = stepsPerBarOf(meter);
  const tracks = score.tracks.filter((t) => t.notes.length > 0);
  const split = tracks.map((t) => voicesOf(t));
  const lastStep = Math.max(
    Math.round(score.lengthBeats * STEPS_PER_BEAT),
    ...split.flat(2).map((c) => c.end),
    1,
  );
  const barCount = Math.max(1, Math.ceil(lastStep / stepsPerBar));
  const key = detectKey(allNotes(score)) ?? { root: 0, mode: 'major' };
  return {
    meter,
    stepsPerBar,
    barCount,
    fifths: keyFifths(key),
    mode: key.mode === 'minor' ? 'minor' : 'major',
    bpm: score.tempos[0]?.bpm ?? 120,
    parts: tracks.map((t, i) => ({
      name: t.name || `Part ${i + 1}`,
      program: t.program,
      isDrum: t.isDrum,
      voices: (split[i].length ? split[i] : [[]]).map((chords) => ({ bars: barsOf(chords, stepsPerBar, barCount) })),
    })),
  };
}
