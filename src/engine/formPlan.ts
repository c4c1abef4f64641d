/**
 * Form plans: which bars of a piece the network writes anew, which it plays again (a repeated
 * part, a restated phrase opening) and where phrases and the piece close. Plain data; the
 * generator follows a plan bar by bar and the network writes every new or varied bar.
 */
import type { Meter } from './meter.ts';
import { finalNoteStep, holdNoteStep, stepsPerBarOfMeter } from './meter.ts';
import type { Rng } from './random.ts';
import type { Note } from './score.ts';

/** What happens in one bar. */
export interface BarPlan {
  /** The part the bar belongs to ('A', 'B', ...). */
  part?: string;
  /** An earlier bar (0-based, primer bars included) played again; absent: the network writes the bar. */
  copyOf?: number;
  /** With copyOf: the first part of the bar is copied and the network writes the rest (a varied repeat). */
  vary?: boolean;
  /** The bar closes a phrase with a held note ('hold'), or the piece on the tonic ('final'). */
  close?: 'hold' | 'final';
  /** The bar must not be silent (e.g. the opening bar of a piece). */
  sounding?: boolean;
  /** Set by placeCloses: the 16th step of the bar where the closing note starts, and how long it is held. */
  closeAt?: number;
  closeSteps?: number;
  /** Set by placeCloses: a model bar after the closing note of a bar written as several model bars. */
  silent?: boolean;
  /** The closing note starts on the downbeat (a whole-bar close). */
  closeOnDownbeat?: boolean;
  /** Set by placeCloses: a model bar before the closing note of its bar: notes end by this step (from its bar line). */
  endBy?: number;
}

/** How a genre's pieces are built from parts, as measured on its data. */
export interface FormRecipe {
  /**
   * Part letters in playing order, repeated to fill the piece: 'AABB' for reels and jigs. Several
   * patterns: each piece draws one (pieces of a genre are not all built alike).
   */
  parts: string | string[];
  /** Bars per part. */
  partBars: number;
  /** Chance that a part's second phrase restates the first bars of its first phrase. */
  restate: number;
  /** Bars restated (from the part's first bar) when it does. */
  restateBars: number;
  /** Chance that a repeated bar is varied by the network rather than played again as it was. */
  vary: number;
  /** Chance that a phrase end (the last bar of each phrase) holds a long note. */
  hold: number;
  /** Bars per phrase (phrase ends close with `hold`). */
  phraseBars: number;
  /** A part's repeat gets its own ending: its last bar is written anew (second-time bar). */
  secondEnding: boolean;
  /** Chance that the last note starts on the last bar's downbeat (a whole-bar close), not later in it. */
  finalDownbeat?: number;
}

/** A through-composed piece: nothing planned but the ending. @example FREE_FORM.parts // 'A' */
export const FREE_FORM: FormRecipe = { parts: 'A', partBars: 1024, restate: 0, restateBars: 0, vary: 0, hold: 0, phraseBars: 4, secondEnding: false };

/**
 * A plan for `bars` bars after `primerBars` bars that are already written (a continuation reuses
 * them as its first part). Deterministic for the rng's seed.
 * @example planForm(recipe, 16, rng).length // 16 (primer bars are not in the result)
 */
export function planForm(recipe: FormRecipe, bars: number, rng: Rng, opts: { primerBars?: number; final?: boolean } = {}): BarPlan[] {
  const primerBars = Math.max(0, opts.primerBars ?? 0);
  const total = primerBars + Math.max(0, bars);
  const plan: BarPlan[] = [];
  const firstBarOfPart = new Map<string, number>();
  const patterns = typeof recipe.parts === 'string' ? [recipe.parts] : recipe.parts;
  const parts = patterns[Math.floor(rng.next() * patterns.length)] ?? 'A';
  for (let bar = 0; bar < total; bar++) {
    const partIndex = Math.floor(bar / recipe.partBars);
    const inPart = bar % recipe.partBars;
    const letter = parts[partIndex % parts.length];
    const partStart = bar - inPart;
    if (inPart === 0 && !firstBarOfPart.has(letter)) firstBarOfPart.set(letter, partStart);
    const original = firstBarOfPart.get(letter)!;
    const partEnd = Math.min(total, partStart + recipe.partBars);
    const lastOfPart = bar === partEnd - 1;
    const step: BarPlan = { part: letter };
    if (original < partStart) {
      // A part played again: every bar comes back, but its last bar is a new (second-time) ending.
      if (!(lastOfPart && recipe.secondEnding)) {
        step.copyOf = original + inPart;
        if (rng.next() < recipe.vary) step.vary = true;
      }
    } else {
      const phraseStart = Math.floor(inPart / recipe.phraseBars) * recipe.phraseBars;
      const offset = inPart - phraseStart;
      if (phraseStart > 0 && offset < recipe.restateBars && restates(recipe, rng, partStart, plan, phraseStart)) {
        step.copyOf = partStart + offset;
        if (rng.next() < recipe.vary) step.vary = true;
      }
    }
    const phraseEnd = (inPart + 1) % recipe.phraseBars === 0 || lastOfPart;
    if (phraseEnd && step.copyOf === undefined && rng.next() < recipe.hold) step.close = 'hold';
    plan.push(step);
  }
  const downbeat = rng.next() < (recipe.finalDownbeat ?? 0);
  const last = plan[total - 1];
  if (opts.final !== false && total > 0) plan[total - 1] = { part: last.part, close: 'final', ...(downbeat ? { closeOnDownbeat: true } : {}) };
  if (primerBars === 0 && total > 0) plan[0] = { ...plan[0], sounding: true };
  return plan.slice(primerBars);
}

/** Decided once per phrase: the first bar of the phrase draws, the others follow it. */
function restates(recipe: FormRecipe, rng: Rng, partStart: number, plan: BarPlan[], phraseStart: number): boolean {
  const first = partStart + phraseStart;
  if (plan.length > first) return plan[first].copyOf !== undefined;
  return rng.next() < recipe.restate;
}

/**
 * The plan in the model's bars, with closing notes placed for the meter: a bar of the piece is
 * `unit` model bars (pop's model writes a bar per beat). A copied bar copies its model bars; a
 * closing bar closes in the model bar that holds the closing step, and the ones after stay silent.
 * @example placeCloses([{ close: 'final' }], { numerator: 4, denominator: 4 })[0].closeAt // 8
 */
export function placeCloses(plan: readonly BarPlan[], meter: Meter, unit = 1): BarPlan[] {
  const barSteps = stepsPerBarOfMeter(meter);
  const modelSteps = Math.max(1, Math.round(barSteps / Math.max(1, unit)));
  return plan.flatMap((p) =>
    Array.from({ length: Math.max(1, unit) }, (_, k) => {
      const out: BarPlan = {};
      // A varied bar: its first half comes back, the network writes the second.
      if (p.copyOf !== undefined && !(p.vary && unit > 1 && k >= unit / 2)) out.copyOf = p.copyOf * unit + k;
      if (p.vary && unit === 1) out.vary = true;
      if (p.sounding && k === 0) out.sounding = true;
      if (p.close) {
        const at = p.closeOnDownbeat ? 0 : p.close === 'final' ? finalNoteStep(meter) : holdNoteStep(meter);
        const closeBar = Math.floor(at / modelSteps);
        // Nothing rings into the closing note from the bar's earlier model bars (its bass must be the tonic).
        if (k < closeBar) out.endBy = at - k * modelSteps;
        if (k === closeBar) Object.assign(out, { close: p.close, closeAt: at % modelSteps, closeSteps: barSteps - at });
        if (k > closeBar) out.silent = true;
      }
      return out;
    }),
  );
}

/**
 * Arranges a line written without form (a stochastic lead) by a plan: copied bars take the
 * notes of the bar they repeat (a varied bar keeps its own second half), and a 'final' bar
 * ends on `tonic` (a pitch class), held from the meter's closing step to the bar line.
 * @example arrangeByPlan(notes, [{}, { copyOf: 0 }], { numerator: 4, denominator: 4 }).length
 */
export function arrangeByPlan(notes: readonly Note[], plan: readonly BarPlan[], meter: Meter, tonic?: number): Note[] {
  const barBeats = stepsPerBarOfMeter(meter) / 4;
  const barOf = (n: Note) => Math.floor(n.start / barBeats + 1e-9);
  const byBar = plan.map((_, b) => notes.filter((n) => barOf(n) === b));
  plan.forEach((p, b) => {
    if (p.copyOf === undefined || p.copyOf >= b) return;
    const shift = (b - p.copyOf) * barBeats;
    const copied = byBar[p.copyOf].map((n) => ({ ...n, start: n.start + shift }));
    const half = b * barBeats + barBeats / 2;
    byBar[b] = p.vary ? [...copied.filter((n) => n.start < half), ...byBar[b].filter((n) => n.start >= half)] : copied;
  });
  const last = plan.length - 1;
  if (last >= 0 && plan[last].close === 'final' && tonic !== undefined) byBar[last] = closeOnTonic(byBar[last], last * barBeats, barBeats, finalNoteStep(meter) / 4, tonic);
  return byBar.flat().map((n) => ({ ...n, duration: Math.min(n.duration, plan.length * barBeats - n.start) }));
}

/** A bar's notes up to the closing beat, then the tonic nearest the last pitch held to the bar line. */
function closeOnTonic(notes: readonly Note[], barStart: number, barBeats: number, at: number, tonic: number): Note[] {
  const before = notes.filter((n) => n.start < barStart + at).map((n) => ({ ...n, duration: Math.min(n.duration, barStart + at - n.start) }));
  const ref = before[before.length - 1]?.pitch ?? notes[0]?.pitch ?? 60 + tonic;
  const below = ref - ((((ref - tonic) % 12) + 12) % 12);
  const pitch = ref - below > 6 ? below + 12 : below;
  return [...before, { pitch, start: barStart + at, duration: barBeats - at, velocity: before[0]?.velocity ?? 100 }];
}
