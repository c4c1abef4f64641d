/**
 * ABC text -> Score, for tunes members paste or attach (`mixtape continue`, `/continue`).
 * Reads the first tune: `T: M: L: Q: K:` (modes and extra accidentals), voices (`V:`, with
 * `%%MIDI program` / `channel 10`), notes, chords, rests, lengths, ties, broken rhythm,
 * tuplets, bar accidentals and repeats with first and second endings (played out in full).
 * Grace notes, decorations, chord symbols and lyrics are skipped. The text is untrusted:
 * its length, the notes and the expanded length are bounded.
 */
import { MixtapeError } from '../errors.ts';
import type { Note, Score, TimeSignature, Track } from '../score.ts';
import { BarAccidentals, LETTER_PC, MODE_FIFTHS, signature, type Letter } from './spelling.ts';

/** Longest ABC text accepted (characters). */
export const ABC_MAX_CHARS = 64 * 1024;
/** Most notes accepted after repeats are played out. */
export const ABC_MAX_NOTES = 20000;

export interface ReadAbcOptions {
  maxChars?: number;
  maxNotes?: number;
}

type Token =
  | { t: 'note'; pitches: number[]; dur: number; tie: boolean }
  | { t: 'rest'; dur: number }
  | { t: 'bar'; start: boolean; end: boolean; section: boolean }
  | { t: 'ending'; numbers: number[] }
  | { t: 'meter'; meter: { numerator: number; denominator: number } };

interface Voice {
  id: string;
  name: string;
  program: number;
  isDrum: boolean;
  tokens: Token[];
  acc: BarAccidentals;
}

const notAbc = () =>
  new MixtapeError('BAD_ARGUMENT', 'that is not an ABC tune: it needs a K: (key) line before the notes, e.g. "X:1 T:My tune M:6/8 L:1/8 K:D dfa|..."');

/** True when the text looks like an ABC tune (a `K:` field and some notes). @example looksLikeAbc('X:1\nK:D\nDEF|') // true */
export function looksLikeAbc(text: string): boolean {
  const lines = unfold(text.slice(0, ABC_MAX_CHARS).replace(/\r\n?/g, '\n')).split('\n');
  const k = lines.findIndex((l) => /^K:/.test(l));
  return k >= 0 && lines.slice(k + 1).some((l) => !/^[A-Za-z]:|^%/.test(l) && /[A-Ga-g]/.test(l));
}

const LETTER_FIFTHS: Record<Letter, number> = { C: 0, G: 1, D: 2, A: 3, E: 4, B: 5, F: -1 };
const MODE_PREFIX: [RegExp, string][] = [
  [/^(maj|ion)/i, 'major'], [/^(min|aeo|m(?![a-z]))/i, 'minor'], [/^dor/i, 'dorian'], [/^phr/i, 'phrygian'],
  [/^lyd/i, 'lydian'], [/^mix/i, 'mixolydian'], [/^loc/i, 'locrian'],
];
const KEY_VALUE = /^\s*(none|HP|Hp|[A-G][#b]?(?:\s*(?:maj\w*|min\w*|ion\w*|aeo\w*|dor\w*|phr\w*|lyd\w*|mix\w*|loc\w*)\b|m(?![a-z]))?)/i;

/** The signature a `K:` value names (modes and trailing accidentals like `^f _b`). */
function keySignature(value: string): Record<Letter, number> {
  const v = value.replace(/%.*/, '').trim();
  const m = /^([A-G])([#b]?)\s*([A-Za-z]*)/.exec(v);
  let sig = signature(0);
  if (m && !/^none$/i.test(v.split(/\s/)[0]) && !/^HP$/i.test(v.split(/\s/)[0])) {
    const mode = MODE_PREFIX.find(([re]) => re.test(m[3]))?.[1] ?? 'major';
    let fifths = LETTER_FIFTHS[m[1] as Letter] + (m[2] === '#' ? 7 : m[2] === 'b' ? -7 : 0) + MODE_FIFTHS[mode];
    while (fifths > 7) fifths -= 12;
    while (fifths < -7) fifths += 12;
    sig = signature(fifths);
  }
  for (const a of v.matchAll(/(\^\^|\^|__|_|=)([A-Ga-g])/g)) {
    sig[a[2].toUpperCase() as Letter] = { '^^': 2, '^': 1, '__': -2, '_': -1, '=': 0 }[a[1]]!;
  }
  return sig;
}

function parseMeter(value: string): { numerator: number; denominator: number } | null {
  const v = value.replace(/%.*/, '').trim();
  if (/^C\|/.test(v)) return { numerator: 2, denominator: 2 };
  if (/^C\b|^C$/.test(v)) return { numerator: 4, denominator: 4 };
  const m = /^\(?(\d+(?:\+\d+)*)\)?\s*\/\s*(\d+)/.exec(v);
  if (!m) return null;
  const numerator = m[1].split('+').reduce((a, b) => a + Number(b), 0);
  const denominator = Number(m[2]);
  if (numerator < 1 || numerator > 32 || ![1, 2, 4, 8, 16, 32].includes(denominator)) return null;
  return { numerator, denominator };
}

function parseFraction(value: string): number | null {
  const m = /^\s*(\d+)\s*\/\s*(\d+)/.exec(value);
  if (!m || Number(m[1]) <= 0 || Number(m[2]) <= 0) return null;
  return Number(m[1]) / Number(m[2]);
}

/** Quarter notes per minute from a `Q:` value (`1/4=120`, `3/8=40`, `120`). */
function parseTempo(value: string): number | null {
  const v = value.replace(/"[^"]*"/g, '').trim();
  const m = /(?:(\d+)\s*\/\s*(\d+)\s*=\s*)?(\d+(?:\.\d+)?)/.exec(v);
  if (!m) return null;
  const beat = m[1] ? Number(m[1]) / Number(m[2]) : 0.25;
  const bpm = (Number(m[3]) * beat) / 0.25;
  return bpm >= 10 && bpm <= 1000 ? bpm : null;
}

/**
 * Puts a tune pasted on one line (Discord options have no line breaks) back on lines:
 * header fields each on their own, the body after the key.
 */
function unfold(text: string): string {
  if (/\n/.test(text.trim())) return text;
  const lines: string[] = [];
  let rest = text.trim();
  for (let guard = 0; guard < 64; guard++) {
    const m = /^([A-Za-z]):\s*/.exec(rest);
    if (!m) break;
    rest = rest.slice(m[0].length);
    if (m[1] === 'K') {
      const k = KEY_VALUE.exec(rest);
      const value = k ? k[1] : '';
      lines.push(`K:${value}`);
      rest = rest.slice(k ? k[0].length : 0);
      break;
    }
    const next = /\s(?=[A-Za-z]:)/.exec(rest);
    lines.push(`${m[1]}:${next ? rest.slice(0, next.index) : rest}`);
    rest = next ? rest.slice(next.index).trimStart() : '';
  }
  if (rest.trim()) lines.push(rest.trim());
  return lines.join('\n');
}

/** The lines of the first tune (from the first `X:` to the next). */
function firstTune(text: string): string[] {
  const lines = unfold(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')).split('\n');
  const start = lines.findIndex((l) => /^X:/.test(l));
  if (start < 0) return lines;
  const end = lines.findIndex((l, i) => i > start && /^X:/.test(l));
  return lines.slice(start, end < 0 ? undefined : end);
}

/** Parses `[num][/[den]]` lengths at `s[i]`; returns the multiplier and the new index. */
function readLength(s: string, i: number): [number, number] {
  const m = /^(\d*)(\/*)(\d*)/.exec(s.slice(i))!;
  const num = m[1] ? Number(m[1]) : 1;
  let den = 1;
  if (m[2]) den = m[3] ? Number(m[3]) * 2 ** (m[2].length - 1) : 2 ** m[2].length;
  const value = den > 0 ? num / den : 1;
  return [Math.min(64, Math.max(1 / 64, value)), i + m[0].length];
}

/** Parses one note (accidental, letter, octave marks, length) at `s[i]`. */
function readNote(s: string, i: number, v: Voice): { pitch: number; mult: number; next: number } | null {
  const m = /^(\^\^|\^|__|_|=)?([A-Ga-g])([',]*)/.exec(s.slice(i));
  if (!m) return null;
  const letter = m[2].toUpperCase() as Letter;
  let octave = m[2] === letter ? 4 : 5;
  for (const c of m[3]) octave += c === "'" ? 1 : -1;
  const alter = m[1] !== undefined ? { '^^': 2, '^': 1, '__': -2, '_': -1, '=': 0 }[m[1]]! : null;
  const spelled = { letter, octave, alter: alter ?? 0 };
  const implied = v.acc.resolve(spelled, alter);
  const [mult, next] = readLength(s, i + m[0].length);
  return { pitch: (octave + 1) * 12 + LETTER_PC[letter] + implied, mult, next };
}

const DEFAULT_TUPLET_Q: Record<number, number> = { 2: 3, 3: 2, 4: 3, 6: 2, 8: 3 };

/**
 * Reads the first tune of an ABC text into a Score (one track per voice, velocity 80).
 * @example readAbc('X:1\nT:Jig\nM:6/8\nL:1/8\nK:D\ndfa afd|').tracks[0].notes.length // 6
 */
export function readAbc(text: string, options: ReadAbcOptions = {}): Score {
  const maxChars = options.maxChars ?? ABC_MAX_CHARS;
  const maxNotes = options.maxNotes ?? ABC_MAX_NOTES;
  if (text.length > maxChars) throw new MixtapeError('TOO_LARGE', `that ABC text is ${text.length} characters; the limit is ${maxChars}`);
  const lines = firstTune(text);
  const keyLine = lines.findIndex((l) => /^K:/.test(l));
  if (keyLine < 0) throw notAbc();

  let title = '';
  let meter = { numerator: 4, denominator: 4 };
  let unit: number | null = null;
  let bpm = 120;
  let sig = signature(0);
  const voices = new Map<string, Voice>();
  const newVoice = (id: string, name = id): Voice => {
    const v: Voice = { id, name, program: 0, isDrum: false, tokens: [], acc: new BarAccidentals(0) };
    v.acc.setSignature(sig);
    voices.set(id, v);
    return v;
  };
  let voice: Voice | undefined;
  const current = () => (voice ??= voices.get('1') ?? newVoice('1', 'Melody'));

  const field = (name: string, value: string, inBody: boolean) => {
    switch (name) {
      case 'T': if (!title) title = value.trim(); break;
      case 'M': {
        const m = parseMeter(value);
        if (m) {
          meter = m;
          if (inBody) current().tokens.push({ t: 'meter', meter: m });
        }
        break;
      }
      case 'L': unit = parseFraction(value) ?? unit; break;
      case 'Q': bpm = parseTempo(value) ?? bpm; break;
      case 'K':
        sig = keySignature(value);
        for (const v of voices.values()) v.acc.setSignature(sig);
        break;
      case 'V': {
        const m = /^\s*(\S+)(.*)$/.exec(value);
        if (!m) break;
        const name = /name="([^"]*)"/.exec(m[2])?.[1] ?? m[1];
        voice = voices.get(m[1]) ?? newVoice(m[1], name);
        if (!inBody) voice = undefined;
        break;
      }
    }
  };

  for (const line of lines.slice(0, keyLine + 1)) {
    const m = /^([A-Za-z]):(.*)$/.exec(line);
    if (m) field(m[1], m[2], false);
  }
  const unitBeats = () => (unit ?? (meter.numerator / meter.denominator < 0.75 ? 1 / 16 : 1 / 8)) * 4;

  let notes = 0;
  for (const raw of lines.slice(keyLine + 1)) {
    const midi = /^%%MIDI\s+(program|channel)\s+(\d+)(?:\s+(\d+))?/.exec(raw);
    if (midi) {
      const v = current();
      if (midi[1] === 'program') v.program = Math.min(127, Number(midi[3] ?? midi[2]));
      else v.isDrum = Number(midi[2]) === 10;
      continue;
    }
    const line = raw.replace(/%.*/, '');
    const f = /^([A-Za-z]):(.*)$/.exec(line);
    if (f) {
      if (!/^[wW]$/.test(f[1])) field(f[1], f[2], true);
      continue;
    }
    notes += tokenize(line, current, field, unitBeats);
    if (notes > maxNotes) throw new MixtapeError('TOO_LARGE', `that ABC tune has more than ${maxNotes} notes`);
  }

  const tracks: Track[] = [];
  const timeSignatures: TimeSignature[] = [];
  let length = 0;
  let first = true;
  for (const v of voices.values()) {
    const played = playOut(v.tokens, maxNotes);
    const out = timeline(played, first ? timeSignatures : null);
    first = false;
    length = Math.max(length, out.end);
    if (out.notes.length) tracks.push({ name: v.name, program: v.program, isDrum: v.isDrum, notes: out.notes });
  }
  if (!tracks.length) throw new MixtapeError('NO_NOTES', 'that ABC tune has no notes after its K: line');
  const initial = parseMeter(lines.slice(0, keyLine).find((l) => /^M:/.test(l))?.slice(2) ?? '') ?? timeSignatures[0] ?? { numerator: 4, denominator: 4 };
  const ts = [{ beat: 0, numerator: initial.numerator, denominator: initial.denominator }, ...timeSignatures.filter((t) => t.beat > 0)];
  return { title: title || 'Untitled', tracks, tempos: [{ beat: 0, bpm }], timeSignatures: ts, lengthBeats: length };
}

/** Tokenizes one music line into the current voice; returns the notes read. */
function tokenize(
  s: string,
  current: () => Voice,
  field: (name: string, value: string, inBody: boolean) => void,
  unitBeats: () => number,
): number {
  let notes = 0;
  let i = 0;
  let broken = 1; // factor for the next note after > or <
  let tuplet = { left: 0, factor: 1 };
  const push = (tok: Token) => {
    const v = current();
    if (tok.t === 'note' || tok.t === 'rest') {
      tok.dur *= broken;
      broken = 1;
      if (tuplet.left > 0) {
        tok.dur *= tuplet.factor;
        tuplet.left--;
      }
    }
    v.tokens.push(tok);
  };
  const lastEvent = () => {
    const toks = current().tokens;
    const last = toks[toks.length - 1];
    return last && (last.t === 'note' || last.t === 'rest') ? last : undefined;
  };
  while (i < s.length) {
    const c = s[i];
    const rest = s.slice(i);
    if (/\s|`|\\|\)|y/.test(c)) { i++; continue; }
    if (c === '"') { const j = s.indexOf('"', i + 1); i = j < 0 ? s.length : j + 1; continue; }
    if (c === '!' || (c === '+' && /^\+[^\s+]+\+/.test(rest))) { const j = s.indexOf(c, i + 1); i = j < 0 ? s.length : j + 1; continue; }
    if (c === '{') { const j = s.indexOf('}', i + 1); i = j < 0 ? s.length : j + 1; continue; }
    if (c === '[' && /^\[[A-Za-z]:/.test(rest)) {
      const j = s.indexOf(']', i);
      const body = s.slice(i + 1, j < 0 ? s.length : j);
      field(body[0], body.slice(2), true);
      i = j < 0 ? s.length : j + 1;
      continue;
    }
    if (c === '[' && /^\[\d/.test(rest)) {
      const m = /^\[(\d+(?:[,-]\d+)*)/.exec(rest)!;
      current().tokens.push({ t: 'ending', numbers: endingNumbers(m[1]) });
      i += m[0].length;
      continue;
    }
    const bar = /^(:*)(\[\||\|\]|\|\||\|)(:*)/.exec(rest) ?? /^(::+)()()/.exec(rest);
    if (bar) {
      const colonsOnly = bar[2] === '';
      const end = colonsOnly || bar[1].length > 0;
      const start = colonsOnly || bar[3].length > 0;
      current().acc.reset();
      current().tokens.push({ t: 'bar', start, end, section: bar[2] === '||' || bar[2] === '|]' || bar[2] === '[|' });
      i += bar[0].length;
      const ending = /^(\d+(?:[,-]\d+)*)/.exec(s.slice(i));
      if (ending) {
        current().tokens.push({ t: 'ending', numbers: endingNumbers(ending[1]) });
        i += ending[0].length;
      }
      continue;
    }
    if (c === '(') {
      const m = /^\((\d)(?::(\d*))?(?::(\d*))?/.exec(rest);
      if (m) {
        const p = Number(m[1]);
        const q = m[2] ? Number(m[2]) : (DEFAULT_TUPLET_Q[p] ?? 2);
        const r = m[3] ? Number(m[3]) : p;
        if (p > 0) tuplet = { left: r, factor: q / p };
        i += m[0].length;
      } else i++;
      continue;
    }
    if (c === '-') {
      const last = lastEvent();
      if (last?.t === 'note') last.tie = true;
      i++;
      continue;
    }
    if (c === '>' || c === '<') {
      const m = /^(>+|<+)/.exec(rest)!;
      const n = Math.min(3, m[1].length);
      const long = 2 - 1 / 2 ** n;
      const short = 1 / 2 ** n;
      const last = lastEvent();
      if (last) last.dur *= c === '>' ? long : short;
      broken = c === '>' ? short : long;
      i += m[0].length;
      continue;
    }
    if (c === '[') {
      const j = s.indexOf(']', i);
      const inner = s.slice(i + 1, j < 0 ? s.length : j);
      const pitches: number[] = [];
      let first = 1;
      for (let k = 0; k < inner.length; ) {
        const n = readNote(inner, k, current());
        if (!n) { k++; continue; }
        if (!pitches.length) first = n.mult;
        if (!pitches.includes(n.pitch)) pitches.push(n.pitch);
        k = n.next;
        if (inner[k] === '-') k++;
      }
      let k = j < 0 ? s.length : j + 1;
      const [mult, after] = readLength(s, k);
      k = after;
      if (pitches.length) {
        push({ t: 'note', pitches, dur: first * mult * unitBeats(), tie: /^\]?-/.test(inner.slice(-1) + s[k]) });
        notes += pitches.length;
      }
      i = k;
      continue;
    }
    const note = readNote(s, i, current());
    if (note) {
      push({ t: 'note', pitches: [note.pitch], dur: note.mult * unitBeats(), tie: false });
      notes++;
      i = note.next;
      continue;
    }
    if (/[zx]/.test(c)) {
      const [mult, next] = readLength(s, i + 1);
      push({ t: 'rest', dur: mult * unitBeats() });
      i = next;
      continue;
    }
    if (/[ZX]/.test(c)) {
      const m = /^[ZX](\d*)/.exec(rest)!;
      push({ t: 'rest', dur: Math.min(64, Number(m[1] || 1)) * barBeats(current) });
      i += m[0].length;
      continue;
    }
    i++; // decorations (~ . H T u v ...) and anything unknown
  }
  return notes;
}

/** Beats in a bar of the voice's latest meter (4/4 when none was given). */
function barBeats(current: () => Voice): number {
  const meter = [...current().tokens].reverse().find((t) => t.t === 'meter');
  const m = meter?.t === 'meter' ? meter.meter : { numerator: 4, denominator: 4 };
  return (m.numerator * 4) / m.denominator;
}

function endingNumbers(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',')) {
    const [a, b] = part.split('-').map(Number);
    for (let n = a; n <= (b || a) && out.length < 8; n++) out.push(n);
  }
  return out;
}

type Event = Extract<Token, { t: 'note' | 'rest' | 'meter' }>;

/** Plays the repeats out: `|: ... :|` twice, first and second endings in turn. */
function playOut(tokens: Token[], maxNotes: number): Event[] {
  const out: Event[] = [];
  const jumped = new Set<number>();
  let repeatStart = 0;
  let secondPass = false;
  let played = 0;
  for (let pc = 0; pc < tokens.length; pc++) {
    const tok = tokens[pc];
    if (tok.t === 'bar') {
      if (tok.end && !jumped.has(pc)) {
        jumped.add(pc);
        secondPass = true;
        pc = repeatStart - 1;
        continue;
      }
      if (tok.start || tok.end || tok.section) {
        secondPass = false;
        repeatStart = pc + 1;
      }
      continue;
    }
    if (tok.t === 'ending') {
      const pass = secondPass ? 2 : 1;
      if (tok.numbers.includes(pass)) {
        if (pass > 1) {
          secondPass = false;
          repeatStart = pc + 1;
        }
        continue;
      }
      // Skip this ending: up to the next ending marker, or past the repeat sign that closes it.
      let k = pc + 1;
      for (; k < tokens.length; k++) {
        const t = tokens[k];
        if (t.t === 'ending') { k--; break; }
        if (t.t === 'bar' && (t.end || t.start || t.section)) {
          if (t.end) jumped.add(k);
          break;
        }
      }
      pc = k;
      continue;
    }
    if (tok.t === 'note') played += tok.pitches.length;
    if (played > maxNotes) throw new MixtapeError('TOO_LARGE', `that ABC tune has more than ${maxNotes} notes once its repeats are played`);
    out.push(tok);
  }
  return out;
}

/** Events -> notes on a beat timeline; tied notes of the same pitch become one. */
function timeline(events: Event[], meters: TimeSignature[] | null): { notes: Note[]; end: number } {
  const notes: Note[] = [];
  let tied = new Map<number, Note>();
  let t = 0;
  for (const e of events) {
    if (e.t === 'meter') {
      meters?.push({ beat: t, ...e.meter });
      continue;
    }
    if (e.t === 'rest') {
      tied = new Map();
      t += e.dur;
      continue;
    }
    const next = new Map<number, Note>();
    for (const pitch of e.pitches) {
      if (pitch < 0 || pitch > 127) continue;
      const open = tied.get(pitch);
      let note: Note;
      if (open && Math.abs(open.start + open.duration - t) < 1e-6) {
        open.duration += e.dur;
        note = open;
      } else {
        note = { pitch, start: t, duration: e.dur, velocity: 80 };
        notes.push(note);
      }
      if (e.tie) next.set(pitch, note);
    }
    tied = next;
    t += e.dur;
  }
  notes.sort((a, b) => a.start - b.start || a.pitch - b.pitch);
  return { notes, end: t };
}
