/**
 * Musical form of a piece: how often bars and phrases repeat earlier ones, whether bars 9-16
 * restate bars 1-8 (AABB), how the piece ends, whether phrase ends are held, its meter and how
 * long it stays silent at the start.
 *
 * Conventions (the same as docs ANCHORS "Musical form of real pieces"):
 * - Notes: every non-drum note of every track (melody and accompaniment alike, so a repeated
 *   bar must repeat in all its voices); a piece with no pitched notes is measured on its drums.
 * - Time: onsets on the 16th grid (beats are quarter notes); bars have the length of the score's
 *   FIRST time signature, counted from beat 0; only full bars are analysed, the first `maxBars`.
 * - A bar is the set of its (16th onset within the bar, pitch) events. Two sets A and B are
 *   similar when |A ∩ B| / max(|A|, |B|) >= 0.75 (symmetric; two empty sets are not similar).
 * - A bar repeats when some earlier bar is similar to it; rates are over the non-empty bars.
 *   Phrases of 2 and 4 bars are aligned to bar 1 and compared the same way.
 */
import type { Key } from './key.ts';
import { detectKey } from './key.ts';
import { STEPS_PER_BEAT, beatToStep, stepsPerBarOf } from './quantize.ts';
import type { Note, Score } from './score.ts';

/** Share of shared events at which two bars (or phrases) count as the same. */
export const REPEAT_THRESHOLD = 0.75;
/** Bars analysed by default (the ANCHORS figures use 32). */
export const DEFAULT_FORM_BARS = 32;
/** Most bars analysed per piece (comparisons grow with the square of the bars). */
export const MAX_FORM_BARS = 256;
/** A phrase ends every this many bars (bars 4, 8, 12, ...). */
export const PHRASE_BARS = 4;

export interface LastNote {
  /** Length of the longest note starting at the last onset, in beats (16th grid). */
  beats: number;
  atLeastOneBeat: boolean;
  /** Its onset is on a quarter-note beat / on the first beat of a bar. */
  onBeat: boolean;
  onDownbeat: boolean;
  /** The lowest pitch sounding at the last onset is the key's tonic (null without a key). */
  endsOnTonic: boolean | null;
}

export interface FormStats {
  /** The score's first time signature, e.g. '6/8' (even when bars were measured in another `barMeter`). */
  meter: string;
  /** Full bars analysed (at most the requested number). */
  bars: number;
  /** Which notes were measured: pitched ones, or drums for drums-only pieces. */
  notes: 'pitched' | 'drums' | 'none';
  /** Non-empty bars that are similar to an earlier bar / identical to one (null without two such bars). */
  barRepeatRate: number | null;
  exactBarRepeatRate: number | null;
  /** Aligned 2-bar and 4-bar phrases similar to an earlier aligned phrase. */
  phrase2RepeatRate: number | null;
  phrase4RepeatRate: number | null;
  /** Similarity of bars 9-16 to bars 1-8 (null under 16 full bars or when both are empty). */
  partRepeat: number | null;
  lastNote: LastNote | null;
  /** Phrase-end bars (4, 8, ...) whose last note lasts >= 2x the piece's median note; the same for the other bars. */
  phraseEndHeld: number | null;
  otherBarsHeld: number | null;
  /** Whole bars before the first onset. */
  leadingEmptyBars: number;
}

interface GridNote {
  pitch: number;
  start: number;
  length: number;
}

/** |A ∩ B| / max(|A|, |B|), 0 when both are empty. @example eventSimilarity(new Set(['0:60']), new Set(['0:60', '4:62'])) // 0.5 */
export function eventSimilarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const size = Math.max(a.size, b.size);
  if (size === 0) return 0;
  let shared = 0;
  for (const e of a) if (b.has(e)) shared++;
  return shared / size;
}

/**
 * Share of the non-empty sets that are similar to (or, with `exact`, equal to) an earlier set; null with fewer than 2.
 * @example repeatRate([new Set(['0:60']), new Set(['0:60'])]) // 0.5
 */
export function repeatRate(sets: readonly ReadonlySet<string>[], exact = false): number | null {
  const filled = sets.filter((s) => s.size > 0);
  if (filled.length < 2) return null;
  let repeats = 0;
  filled.forEach((set, i) => {
    const same = (earlier: ReadonlySet<string>) => (exact ? earlier.size === set.size && eventSimilarity(earlier, set) === 1 : eventSimilarity(earlier, set) >= REPEAT_THRESHOLD);
    if (filled.slice(0, i).some(same)) repeats++;
  });
  return repeats / filled.length;
}

/** The notes form is measured on: pitched ones, else drums. */
function formNotes(score: Score): { notes: Note[]; kind: FormStats['notes'] } {
  const pitched = score.tracks.filter((t) => !t.isDrum).flatMap((t) => t.notes);
  if (pitched.length) return { notes: pitched, kind: 'pitched' };
  const drums = score.tracks.filter((t) => t.isDrum).flatMap((t) => t.notes);
  return { notes: drums, kind: drums.length ? 'drums' : 'none' };
}

function toGrid(notes: readonly Note[]): GridNote[] {
  return notes
    .filter((n) => Number.isFinite(n.start) && Number.isFinite(n.duration) && Number.isFinite(n.pitch))
    .map((n) => {
      const start = Math.max(0, beatToStep(n.start));
      return { pitch: Math.round(n.pitch), start, length: Math.max(1, beatToStep(n.start + n.duration) - start) };
    })
    .sort((a, b) => a.start - b.start || a.pitch - b.pitch);
}

/** Event sets of consecutive spans of `spanSteps` steps, `count` of them from step 0. */
function spanSets(notes: readonly GridNote[], spanSteps: number, count: number): Set<string>[] {
  const sets = Array.from({ length: count }, () => new Set<string>());
  for (const n of notes) {
    const i = Math.floor(n.start / spanSteps);
    if (i < count) sets[i].add(`${n.start - i * spanSteps}:${n.pitch}`);
  }
  return sets;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The last note of each bar held >= 2x the median note length: [phrase ends, other bars] shares. */
function heldShares(notes: readonly GridNote[], barSteps: number, bars: number): [number | null, number | null] {
  const lastInBar = new Map<number, GridNote>();
  for (const n of notes) {
    const bar = Math.floor(n.start / barSteps);
    if (bar >= bars) continue;
    const prev = lastInBar.get(bar);
    if (!prev || n.start > prev.start || (n.start === prev.start && n.length > prev.length)) lastInBar.set(bar, n);
  }
  const long = 2 * median(notes.map((n) => n.length));
  const tally = { end: [0, 0], other: [0, 0] };
  for (const [bar, n] of lastInBar) {
    const t = (bar + 1) % PHRASE_BARS === 0 ? tally.end : tally.other;
    t[0] += n.length >= long ? 1 : 0;
    t[1]++;
  }
  return [tally.end[1] ? tally.end[0] / tally.end[1] : null, tally.other[1] ? tally.other[0] / tally.other[1] : null];
}

function lastNoteOf(notes: readonly GridNote[], barSteps: number, key: Key | null): LastNote | null {
  if (notes.length === 0) return null;
  const lastStart = notes[notes.length - 1].start;
  const atEnd = notes.filter((n) => n.start === lastStart);
  const beats = Math.max(...atEnd.map((n) => n.length)) / STEPS_PER_BEAT;
  // Sounding at the last onset: started there, or started before and still held.
  const sounding = notes.filter((n) => n.start <= lastStart && n.start + n.length > lastStart);
  const bass = Math.min(...sounding.map((n) => n.pitch));
  return {
    beats,
    atLeastOneBeat: beats >= 1,
    onBeat: lastStart % STEPS_PER_BEAT === 0,
    onDownbeat: lastStart % barSteps === 0,
    endsOnTonic: key ? (((bass % 12) + 12) % 12) === key.root : null,
  };
}

export interface FormOptions {
  /** Full bars analysed from bar 1 (default DEFAULT_FORM_BARS). */
  maxBars?: number;
  /** The key whose tonic the ending is checked against (default: detectKey of the notes). */
  key?: Key;
  /** Measure bars of this meter instead of the score's own (for files whose time signature is wrong, e.g. POP909's 1/4). */
  barMeter?: { numerator: number; denominator: number };
}

/**
 * Form statistics of one piece over its first `maxBars` full bars (see the module doc for the definitions).
 * @example formStats(aabbTune).partRepeat // 1
 */
export function formStats(score: Score, opts: FormOptions = {}): FormStats {
  const ts = score.timeSignatures?.[0] ?? { beat: 0, numerator: 4, denominator: 4 };
  const barSteps = stepsPerBarOf(opts.barMeter ? { beat: 0, ...opts.barMeter } : ts);
  const { notes: raw, kind } = formNotes(score);
  const onGrid = toGrid(raw);
  // Bar 1 is the bar of the first onset, unless that onset is in the bar's second half: then
  // it is a pickup (anacrusis) and bar 1 starts at the next downbeat. A late first hit of a
  // human-played groove (a 16th after the downbeat) stays in its bar.
  const first = onGrid.length ? onGrid[0].start : 0;
  const origin = Math.floor(first / barSteps) * barSteps + (first % barSteps >= barSteps / 2 ? barSteps : 0);
  const notes = onGrid.filter((n) => n.start >= origin).map((n) => ({ ...n, start: n.start - origin }));
  const lastEnd = notes.reduce((m, n) => Math.max(m, n.start + n.length), 0);
  const totalSteps = Math.max(lastEnd, Number.isFinite(score.lengthBeats) ? beatToStep(score.lengthBeats) - origin : 0);
  const maxBars = Math.min(MAX_FORM_BARS, Math.max(0, Math.floor(opts.maxBars ?? DEFAULT_FORM_BARS)) || 0);
  const bars = Math.min(maxBars, Math.floor(totalSteps / barSteps));
  const barSets = spanSets(notes, barSteps, bars);
  const partA = spanSets(notes, 8 * barSteps, 2);
  const [phraseEndHeld, otherBarsHeld] = notes.length ? heldShares(notes, barSteps, bars) : [null, null];
  return {
    meter: `${ts.numerator}/${ts.denominator}`,
    bars,
    notes: kind,
    barRepeatRate: repeatRate(barSets),
    exactBarRepeatRate: repeatRate(barSets, true),
    phrase2RepeatRate: repeatRate(spanSets(notes, 2 * barSteps, Math.floor(bars / 2))),
    phrase4RepeatRate: repeatRate(spanSets(notes, 4 * barSteps, Math.floor(bars / 4))),
    partRepeat: bars >= 16 && (partA[0].size || partA[1].size) ? eventSimilarity(partA[0], partA[1]) : null,
    lastNote: lastNoteOf(onGrid, barSteps, opts.key ?? detectKey(raw)),
    phraseEndHeld,
    otherBarsHeld,
    leadingEmptyBars: onGrid.length ? Math.floor(onGrid[0].start / barSteps) : 0,
  };
}

export interface FormSummary {
  /** Pieces summarized, and pieces left out for having fewer than `minBars` full bars. */
  pieces: number;
  shorterLeftOut: number;
  /** Means over the pieces where the figure is defined (null when none is). */
  barRepeatRate: number | null;
  exactBarRepeatRate: number | null;
  phrase2RepeatRate: number | null;
  phrase4RepeatRate: number | null;
  partRepeat: number | null;
  /** Shares of pieces (with notes) whose last note is >= 1 beat, on a beat, on a downbeat, on the tonic; mean length in beats. */
  lastNoteBeats: number | null;
  lastNoteAtLeastOneBeat: number | null;
  lastNoteOnBeat: number | null;
  lastNoteOnDownbeat: number | null;
  endsOnTonic: number | null;
  phraseEndHeld: number | null;
  otherBarsHeld: number | null;
  meanLeadingEmptyBars: number | null;
  /** Share of pieces opening with more than one empty bar. */
  openingWithOverOneEmptyBar: number | null;
  /** Share of pieces per meter, most common first. */
  meters: Record<string, number>;
}

function meanOf(values: readonly (number | boolean | null | undefined)[]): number | null {
  const xs = values.filter((v): v is number | boolean => v !== null && v !== undefined).map(Number).filter(Number.isFinite);
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

/**
 * Aggregates per-piece form statistics: means of each figure and the meter distribution, over
 * the pieces with at least `minBars` full bars (a 16-bar tune cannot show the form of 32 bars).
 * @example summarizeForm(pieces.map((p) => formStats(p))).barRepeatRate // 0.65 for celtic tunes
 */
export function summarizeForm(all: readonly FormStats[], opts: { minBars?: number } = {}): FormSummary {
  const list = all.filter((s) => s.bars >= (opts.minBars ?? 0));
  const counts = new Map<string, number>();
  for (const s of list) counts.set(s.meter, (counts.get(s.meter) ?? 0) + 1);
  const meters = Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([m, c]) => [m, c / list.length]));
  const withNotes = list.filter((s) => s.notes !== 'none');
  return {
    pieces: list.length,
    shorterLeftOut: all.length - list.length,
    barRepeatRate: meanOf(list.map((s) => s.barRepeatRate)),
    exactBarRepeatRate: meanOf(list.map((s) => s.exactBarRepeatRate)),
    phrase2RepeatRate: meanOf(list.map((s) => s.phrase2RepeatRate)),
    phrase4RepeatRate: meanOf(list.map((s) => s.phrase4RepeatRate)),
    partRepeat: meanOf(list.map((s) => s.partRepeat)),
    lastNoteBeats: meanOf(list.map((s) => s.lastNote?.beats)),
    lastNoteAtLeastOneBeat: meanOf(list.map((s) => s.lastNote?.atLeastOneBeat)),
    lastNoteOnBeat: meanOf(list.map((s) => s.lastNote?.onBeat)),
    lastNoteOnDownbeat: meanOf(list.map((s) => s.lastNote?.onDownbeat)),
    endsOnTonic: meanOf(list.map((s) => s.lastNote?.endsOnTonic)),
    phraseEndHeld: meanOf(list.map((s) => s.phraseEndHeld)),
    otherBarsHeld: meanOf(list.map((s) => s.otherBarsHeld)),
    meanLeadingEmptyBars: meanOf(withNotes.map((s) => s.leadingEmptyBars)),
    openingWithOverOneEmptyBar: meanOf(withNotes.map((s) => s.leadingEmptyBars > 1)),
    meters,
  };
}
