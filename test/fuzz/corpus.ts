/**
 * Seeded fuzzing of every file format the bot or the CLI reads (MIDI, zip, ABC): seed files
 * made here, mutated the ways hostile files differ from real ones (bit flips, runs of 0xFF,
 * lying chunk and entry lengths, giant variable-length numbers, truncation, spliced slices).
 * Each case must end in a result or a MixtapeError within its time limit.
 */
import { zipSync } from 'fflate';
import { createRng, type Rng } from '../../src/engine/random.ts';
import { readMidi, writeMidi } from '../../src/engine/midi.ts';
import { MixtapeError } from '../../src/engine/errors.ts';
import { readAbc, toAbc } from '../../src/engine/notation/index.ts';
import { unzipMidiFiles } from '../../src/untrusted/unzip.ts';
import type { Score } from '../../src/engine/score.ts';

export type Format = 'midi' | 'zip' | 'abc';

export interface FuzzReport {
  format: Format;
  cases: number;
  results: number;
  typedErrors: Record<string, number>;
  /** Cases that threw something other than a MixtapeError (with the error). */
  untyped: { index: number; error: string }[];
  /** Cases over the per-case limit (ms). */
  slow: { index: number; ms: number }[];
  maxMs: number;
  totalMs: number;
}

const note = (pitch: number, start: number, duration = 1, velocity = 90) => ({ pitch, start, duration, velocity });

/** A few pieces that exercise the writer: melody, chords, drums, tempo and meter changes. */
function seedScores(): Score[] {
  const melody = [60, 62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 65].map((p, i) => note(p, i * 0.5, 0.5));
  const chords = [0, 4, 8, 12].flatMap((b) => [48, 52, 55].map((p) => note(p + (b % 8), b, 4, 70)));
  const drums = Array.from({ length: 32 }, (_, i) => note([36, 38, 42][i % 3], i * 0.25, 0.25, 100));
  const base = { tempos: [{ beat: 0, bpm: 120 }], timeSignatures: [{ beat: 0, numerator: 4, denominator: 4 }] };
  return [
    { title: 'melody', tracks: [{ name: 'Lead', program: 73, isDrum: false, notes: melody }], lengthBeats: 6, ...base },
    {
      title: 'band', lengthBeats: 16,
      tracks: [{ name: 'Piano', program: 0, isDrum: false, notes: chords }, { name: 'Drums', program: 0, isDrum: true, notes: drums }, { name: 'Lead', program: 40, isDrum: false, notes: melody }],
      tempos: [{ beat: 0, bpm: 96 }, { beat: 8, bpm: 140 }], timeSignatures: [{ beat: 0, numerator: 6, denominator: 8 }, { beat: 12, numerator: 3, denominator: 4 }],
    },
  ];
}

/** A hand-written format 0 file: running status, a sysex, a text meta, note-offs as velocity 0, SMPTE-free ppq 96. */
function handWritten(): Uint8Array {
  const track = [
    0x00, 0xff, 0x03, 0x04, 0x54, 0x75, 0x6e, 0x65, // track name "Tune"
    0x00, 0xf0, 0x03, 0x7e, 0x09, 0xf7, // sysex
    0x00, 0xff, 0x51, 0x03, 0x07, 0xa1, 0x20, // 120 bpm
    0x00, 0xc0, 0x05,
    0x00, 0x90, 0x3c, 0x50, 0x60, 0x3c, 0x00, 0x00, 0x3e, 0x50, 0x60, 0x3e, 0x00, // running status
    0x00, 0x99, 0x24, 0x64, 0x30, 0x89, 0x24, 0x00,
    0x00, 0xff, 0x2f, 0x00,
  ];
  const header = [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0, 96];
  return new Uint8Array([...header, 0x4d, 0x54, 0x72, 0x6b, 0, 0, 0, track.length, ...track]);
}

export function midiSeeds(): Uint8Array[] {
  return [...seedScores().map((s) => writeMidi(s)), handWritten()];
}

function zipSeeds(): Uint8Array[] {
  const [a, b, c] = midiSeeds();
  return [
    zipSync({ 'a.mid': a, 'songs/b.mid': b, 'c.midi': c, 'readme.txt': new TextEncoder().encode('hello') }),
    zipSync({ 'a.mid': a, 'b.mid': b }, { level: 0 }),
    zipSync({ 'small.mid': new Uint8Array(300_000) }, { level: 9 }), // highly compressible
    zipSync({ 'bomb.mid': new Uint8Array(3 * 1024 * 1024), 'a.mid': a }, { level: 9 }), // over the per-file limit once inflated
  ];
}

function abcSeeds(): string[] {
  return [
    'X:1\nT:Reel\nM:4/4\nL:1/8\nQ:1/4=120\nK:D\n|:d2fd Adfd|e2ge Bege|d2fd Adfd|1 edcB A4:|2 edcB A2z2||\n',
    'X:2\nT:Jig\nM:6/8\nL:1/8\nK:G\nGAB c2A|BAG E2D|[GB]3 (3ABc d2|g2f e>dc|]\n',
    ...seedScores().map((s) => { try { return toAbc(s); } catch { return 'X:3\nK:C\nCDEF GABc|\n'; } }),
  ];
}

const pick = <T>(rng: Rng, list: readonly T[]): T => list[rng.int(list.length)];

/** Offsets of every "MTrk"/"PK\x03\x04" in the bytes: where lengths live. */
function markers(b: Uint8Array, sig: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i + sig.length <= b.length; i++) if (sig.every((v, k) => b[i + k] === v)) out.push(i);
  return out;
}

/** One mutation of bytes, chosen and placed by the generator. */
function mutateBytes(rng: Rng, input: Uint8Array, format: 'midi' | 'zip'): Uint8Array {
  let b = input.slice();
  const at = () => rng.int(b.length + 1);
  const splice = (pos: number, remove: number, insert: ArrayLike<number>) => {
    const out = new Uint8Array(b.length - remove + insert.length);
    out.set(b.subarray(0, pos));
    out.set(insert as ArrayLike<number>, pos);
    out.set(b.subarray(pos + remove), pos + insert.length);
    b = out;
  };
  const u32 = (pos: number, v: number) => { if (pos + 4 <= b.length) new DataView(b.buffer).setUint32(pos, v >>> 0, format === 'zip'); };
  const u16 = (pos: number, v: number) => { if (pos + 2 <= b.length) new DataView(b.buffer).setUint16(pos, v & 0xffff, format === 'zip'); };
  switch (rng.int(11)) {
    case 0: for (let k = 1 + rng.int(8); k > 0 && b.length; k--) b[rng.int(b.length)] ^= 1 << rng.int(8); break;
    case 1: for (let k = 1 + rng.int(8); k > 0 && b.length; k--) b[rng.int(b.length)] = rng.int(256); break;
    case 2: splice(at(), 0, new Uint8Array(1 + rng.int(512)).fill(0xff)); break; // runs of 0xFF
    case 3: b = b.slice(0, rng.int(b.length + 1)); break; // truncation
    case 4: { // a lying length: chunk lengths (MIDI) or entry sizes (zip)
      const sig = format === 'midi' ? [0x4d, 0x54, 0x72, 0x6b] : [0x50, 0x4b, 0x03, 0x04];
      const found = markers(b, sig);
      if (!found.length) break;
      const m = pick(rng, found);
      const lie = pick(rng, [0, 1, 0x7fffffff, 0xffffffff, rng.int(2 ** 32), rng.int(64)]);
      if (format === 'midi') u32(m + 4, lie);
      else u32(m + pick(rng, [18, 22]), lie); // compressed or uncompressed size
      break;
    }
    case 5: // header fields: MIDI format/ntrks/division, zip flags/method
      if (format === 'midi') u16(pick(rng, [8, 10, 12]), pick(rng, [0, 1, 2, 0xffff, 0x8000 | rng.int(0x7fff), rng.int(0x10000)]));
      else { const found = markers(b, [0x50, 0x4b, 0x03, 0x04]); if (found.length) u16(pick(rng, found) + pick(rng, [6, 8, 26, 28]), rng.int(0x10000)); }
      break;
    case 6: { const s = rng.int(b.length + 1); const e = Math.min(b.length, s + rng.int(256)); splice(at(), 0, b.slice(s, e)); break; } // duplicated slice
    case 7: { const s = rng.int(b.length + 1); splice(s, Math.min(b.length - s, rng.int(64)), []); break; } // deleted slice
    case 8: splice(at(), 0, [0x8f, 0xff, 0xff, 0xff, 0x7f]); break; // a 5-byte varint
    case 9: splice(at(), 0, [0x00, 0xff, pick(rng, [0x03, 0x51, 0x58, 0x7f]), 0xff, 0xff, 0xff, 0x7f]); break; // meta with a giant length
    default: splice(at(), 0, Array.from({ length: 1 + rng.int(64) }, () => pick(rng, [0x90, 0x80, 0x3c, 0x7f, 0x00, 0xc0]))); // event soup
  }
  return b;
}

function mutateText(rng: Rng, text: string): string {
  const at = () => rng.int(text.length + 1);
  const junk = ['|:', ':|', '[', ']', '(3', '>', '<', '/', '//', '2', '999999', 'z', '^', '_', '=', '{', '}', '"', '!', 'K:', 'M:', 'L:1/0', 'Q:', '\n', '~', '-', '[1', '::', 'x', 'A'.repeat(50)];
  let t = text;
  for (let k = 1 + rng.int(6); k > 0; k--) {
    const p = at();
    switch (rng.int(4)) {
      case 0: t = t.slice(0, p) + pick(rng, junk) + t.slice(p); break;
      case 1: t = t.slice(0, p) + t.slice(p + rng.int(20)); break;
      case 2: t = t.slice(0, p) + String.fromCharCode(rng.int(0x3000)) + t.slice(p); break;
      default: t = t.slice(0, p) + t.slice(rng.int(t.length), rng.int(t.length)).repeat(1 + rng.int(20)) + t.slice(p);
    }
  }
  return t;
}

const UNZIP_LIMITS = { maxZipEntries: 200, maxUnzippedBytes: 32 * 1024 * 1024, maxMidiBytes: 1024 * 1024 };

/** The inputs of `cases` seeded cases: a seed file with 1 to 3 mutations each (same seed, same inputs). */
export function* caseInputs(format: Format, cases: number, seed: number): Generator<Uint8Array | string> {
  const rng = createRng(seed);
  const seeds = format === 'midi' ? midiSeeds() : format === 'zip' ? zipSeeds() : abcSeeds();
  for (let index = 0; index < cases; index++) {
    let input: Uint8Array | string = pick(rng, seeds as (Uint8Array | string)[]);
    for (let k = 1 + rng.int(3); k > 0; k--) input = typeof input === 'string' ? mutateText(rng, input) : mutateBytes(rng, input, format as 'midi' | 'zip');
    yield input;
  }
}

/** Runs `cases` seeded cases of one format in this thread; every outcome is classified. */
export function fuzz(format: Format, cases: number, seed: number, limitMs: number): FuzzReport {
  const report: FuzzReport = { format, cases, results: 0, typedErrors: {}, untyped: [], slow: [], maxMs: 0, totalMs: 0 };
  let index = -1;
  for (const input of caseInputs(format, cases, seed)) {
    index++;
    const started = performance.now();
    try {
      if (format === 'midi') readMidi(input as Uint8Array);
      else if (format === 'abc') readAbc(input as string);
      else for (const f of unzipMidiFiles(input as Uint8Array, UNZIP_LIMITS)) { try { readMidi(f.bytes); } catch (e) { if (!(e instanceof MixtapeError)) throw e; } }
      report.results++;
    } catch (e) {
      if (e instanceof MixtapeError) report.typedErrors[e.code] = (report.typedErrors[e.code] ?? 0) + 1;
      else report.untyped.push({ index, error: String((e as Error)?.stack ?? e).slice(0, 400) });
    }
    const ms = performance.now() - started;
    report.totalMs += ms;
    report.maxMs = Math.max(report.maxMs, ms);
    if (ms > limitMs) report.slow.push({ index, ms: Math.round(ms) });
  }
  return report;
}
