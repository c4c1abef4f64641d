/**
 * Score -> ABC 2.1 text: `X: T: R: M: L: Q: K:` headers, one voice per line of a part
 * (`V:` with `%%MIDI program`), bars, ties across bar lines, and `|: ... :|` where a block of
 * bars is played twice in a row.
 */
import type { Score } from '../score.ts';
import { layout, type BarItem, type Layout } from './layout.ts';
import { BarAccidentals, spell, type Spelled } from './spelling.ts';
import { tuneTypeFor } from './tune-type.ts';

export interface AbcOptions {
  /** Tune number (`X:`), default 1. */
  index?: number;
  /** The genre: a celtic tune names its tune type (`R:`). */
  genre?: string;
  /** Tune type to write instead of the one the meter suggests (e.g. 'hornpipe'). */
  tuneType?: string;
  /** Extra header lines such as `C:` or `N:` (without line breaks). */
  notes?: string[];
}

const MAJOR_KEYS = ['Cb', 'Gb', 'Db', 'Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#'];
const MINOR_KEYS = ['Abm', 'Ebm', 'Bbm', 'Fm', 'Cm', 'Gm', 'Dm', 'Am', 'Em', 'Bm', 'F#m', 'C#m', 'G#m', 'D#m', 'A#m'];
/** Bars per written line. */
const BARS_PER_LINE = 4;
/** Block sizes (in bars) checked for a written repeat, largest first. */
const REPEAT_BLOCKS = [8, 4];

/** The `K:` value of a key signature. @example abcKeyName(2, 'major') // 'D' */
export const abcKeyName = (fifths: number, mode: 'major' | 'minor'): string =>
  (mode === 'minor' ? MINOR_KEYS : MAJOR_KEYS)[fifths + 7];

const ACCIDENTAL: Record<number, string> = { [-2]: '__', [-1]: '_', 0: '=', 1: '^', 2: '^^' };

/** A written pitch in ABC (C is middle C, c the octave above). @example abcPitch({ letter: 'F', alter: 0, octave: 5 }, 1) // '^f' */
export function abcPitch(s: Spelled, shown: number | null): string {
  const acc = shown === null ? '' : ACCIDENTAL[shown];
  if (s.octave >= 5) return acc + s.letter.toLowerCase() + "'".repeat(s.octave - 5);
  return acc + s.letter + ','.repeat(Math.max(0, 4 - s.octave));
}

/** An ABC length in units of L:1/8 for a number of 16th steps. @example abcLength(3) // '3/2' */
export function abcLength(steps: number): string {
  if (steps % 2 === 0) return steps === 2 ? '' : String(steps / 2);
  return steps === 1 ? '/' : `${steps}/2`;
}

function itemText(item: BarItem, acc: BarAccidentals, fifths: number): string {
  const len = abcLength(item.steps);
  if (item.pitches.length === 0) return `z${len}`;
  const notes = item.pitches.map((p) => {
    const s = spell(p, fifths);
    return abcPitch(s, acc.show(s));
  });
  const body = notes.length === 1 ? notes[0] : `[${notes.join('')}]`;
  return `${body}${len}${item.tie ? '-' : ''}`;
}

const barKey = (lay: Layout, bar: number): string =>
  JSON.stringify(lay.parts.map((p) => p.voices.map((v) => v.bars[bar])));

const tiesOut = (lay: Layout, bar: number): boolean =>
  bar >= 0 && lay.parts.some((p) => p.voices.some((v) => v.bars[bar]?.at(-1)?.tie));

/**
 * Where to write repeats: a list of [firstBar, barCount, played twice?] blocks covering the piece.
 * A block repeats when the next `n` bars equal it in every voice and no tie crosses its edges.
 */
export function repeatPlan(lay: Layout): { bar: number; count: number; repeat: boolean }[] {
  const plan: { bar: number; count: number; repeat: boolean }[] = [];
  const keys = Array.from({ length: lay.barCount }, (_, b) => barKey(lay, b));
  let b = 0;
  while (b < lay.barCount) {
    const n = REPEAT_BLOCKS.find(
      (size) =>
        b + 2 * size <= lay.barCount &&
        keys.slice(b, b + size).every((k, i) => k === keys[b + size + i]) &&
        !tiesOut(lay, b - 1) &&
        !tiesOut(lay, b + size - 1) &&
        keys.slice(b, b + size).some((k) => /"pitches":\[\d/.test(k)), // not a block of rests
    );
    if (n) {
      plan.push({ bar: b, count: n, repeat: true });
      b += 2 * n;
    } else {
      const last = plan[plan.length - 1];
      if (last && !last.repeat) last.count++;
      else plan.push({ bar: b, count: 1, repeat: false });
      b++;
    }
  }
  return plan;
}

/** One voice's body: bars, repeats and line breaks. */
function voiceBody(lay: Layout, bars: BarItem[][], plan: ReturnType<typeof repeatPlan>): string {
  const acc = new BarAccidentals(lay.fifths);
  const lines: string[] = [];
  let line = '';
  let inLine = 0;
  for (const block of plan) {
    for (let i = 0; i < block.count; i++) {
      const b = block.bar + i;
      acc.reset();
      const open = block.repeat && i === 0 ? '|: ' : '';
      const close = block.repeat && i === block.count - 1 ? ' :|' : ' |';
      line += `${open}${bars[b].map((it) => itemText(it, acc, lay.fifths)).join(' ')}${close}`;
      if (++inLine === BARS_PER_LINE) {
        lines.push(line.trim());
        line = '';
        inLine = 0;
      } else line += ' ';
    }
  }
  if (line.trim()) lines.push(line.trim());
  // A final plain bar line becomes the closing double bar.
  if (lines.length) lines[lines.length - 1] = lines[lines.length - 1].replace(/ \|$/, ' |]');
  return lines.join('\n');
}

/** Removes line breaks and `%` from text put into a header. */
const headerText = (s: string): string => s.replace(/[\r\n%]+/g, ' ').trim();

/**
 * Writes a score as one ABC tune. Drum parts are written on MIDI channel 10.
 * @example toAbc(score, { genre: 'celtic' }) // 'X:1\nT:...\nR:jig\nM:6/8\nL:1/8\nQ:1/4=112\nK:D\n|: ...'
 */
export function toAbc(score: Score, options: AbcOptions = {}): string {
  const lay = layout(score);
  const meter = `${lay.meter.numerator}/${lay.meter.denominator}`;
  const tuneType = options.tuneType ?? (options.genre === 'celtic' ? tuneTypeFor(lay.meter) : '');
  const head = [`X:${options.index ?? 1}`, `T:${headerText(score.title) || 'Untitled'}`];
  if (tuneType) head.push(`R:${headerText(tuneType)}`);
  for (const n of options.notes ?? []) head.push(headerText(n));
  head.push(`M:${meter}`, 'L:1/8', `Q:1/4=${Math.round(lay.bpm)}`, `K:${abcKeyName(lay.fifths, lay.mode)}`);
  const plan = repeatPlan(lay);
  const voices = lay.parts.flatMap((p) => p.voices.map((v, i) => ({ part: p, voice: v, i })));
  if (voices.length === 0) return `${head.join('\n')}\nz${abcLength(lay.stepsPerBar)} |]\n`;
  const single = voices.length === 1 && !voices[0].part.isDrum;
  const body = voices.map(({ part, voice, i }, n) => {
    if (single) return `${part.program ? `%%MIDI program ${part.program}\n` : ''}${voiceBody(lay, voice.bars, plan)}`;
    const name = headerText(part.name).replace(/"/g, "'");
    const lines = [`V:${n + 1} name="${name}${part.voices.length > 1 ? ` ${i + 1}` : ''}"${clefOf(voice.bars)}`];
    lines.push(part.isDrum ? '%%MIDI channel 10' : `%%MIDI program ${part.program}`);
    lines.push(voiceBody(lay, voice.bars, plan));
    return lines.join('\n');
  });
  return `${head.join('\n')}\n${body.join('\n')}\n`;
}

/** A bass clef for voices that sit mostly below middle C. */
function clefOf(bars: BarItem[][]): string {
  const pitches = bars.flat().flatMap((it) => it.pitches);
  if (!pitches.length) return '';
  const mean = pitches.reduce((a, b) => a + b, 0) / pitches.length;
  return mean < 57 ? ' clef=bass' : '';
}
