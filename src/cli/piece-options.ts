/** Options and output shared by `compose` and `continue`: parsing, writing the files, the JSON report. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { OptionSpec, ParsedValues } from './command.ts';
import { num, optionalNum, str } from './command.ts';
import { MixtapeError } from '../engine/errors.ts';
import { writeAllOrNothing } from '../render/files.ts';
import type { AudioFormat, ComposeResult } from '../studio/types.ts';
import { readMidi } from '../engine/midi.ts';
import { toAbc, toMusicXml } from '../engine/notation/index.ts';

export const pieceOptions: Record<string, OptionSpec> = {
  bars: { type: 'string', description: 'bars to write, 1 to 64', default: '16' },
  out: { type: 'string', short: 'o', description: 'output folder', default: '.' },
  seed: { type: 'string', description: 'random seed (same inputs + seed = same piece)', default: 'random' },
  temperature: { type: 'string', description: "sampling temperature, 0.1 to 2 (default: the genre's, 0.9 for most)" },
  'top-p': { type: 'string', description: "nucleus sampling mass, (0, 1] (default: the genre's, 0.95 for most)" },
  tempo: { type: 'string', description: 'beats per minute, 30 to 300', default: "the genre's" },
  key: { type: 'string', description: 'keep to a key/scale, e.g. "D minor", "A dorian"' },
  beam: { type: 'string', description: 'beam search width (1 = plain sampling)', default: '1' },
  meter: { type: 'string', description: 'meter, e.g. 4/4, 3/4, 2/4, 6/8, 9/8, 12/8', default: "the genre's data decides" },
  type: { type: 'string', description: 'tune type (celtic): reel, jig, slip jig, hornpipe, polka, slide, waltz' },
  form: { type: 'string', description: "follow the genre's form (parts, repeats, cadences): on or off", default: 'on' },
  instrument: { type: 'string', description: 'lead instrument (piano, acoustic guitar, music box, strings, flute, synth lead, ...)' },
  soundfont: { type: 'string', description: 'a .sf2/.sf3 SoundFont instead of the bundled one' },
  format: { type: 'string', description: 'files to write: mid,ogg,mp3,wav,png,abc,musicxml', default: 'mid,ogg,mp3,png' },
  name: { type: 'string', description: 'base name of the files', default: 'genre-seed' },
  json: { type: 'boolean', description: 'print one JSON object naming the files and parameters' },
};

const FORMATS = ['mid', 'ogg', 'mp3', 'wav', 'png', 'abc', 'musicxml'] as const;
type FileFormat = (typeof FORMATS)[number];

/** The formats asked for. */
export function formatsOf(values: ParsedValues): FileFormat[] {
  const list = (str(values, 'format') ?? 'mid,ogg,mp3,png').split(',').map((f) => f.trim().toLowerCase()).filter(Boolean);
  const bad = list.filter((f) => !FORMATS.includes(f as FileFormat));
  if (bad.length || list.length === 0) throw new MixtapeError('BAD_ARGUMENT', `unknown format "${bad.join(',')}"; use any of ${FORMATS.join(', ')}`);
  return [...new Set(list)] as FileFormat[];
}

/** Common numeric options, checked. */
export function pieceParams(values: ParsedValues) {
  return {
    bars: num(values, 'bars', 16, 1, 64, true),
    seed: optionalNum(values, 'seed', 0, 2 ** 31 - 1, true),
    temperature: optionalNum(values, 'temperature', 0.1, 2),
    topP: optionalNum(values, 'top-p', 0.01, 1),
    tempo: optionalNum(values, 'tempo', 30, 300),
    beam: num(values, 'beam', 1, 1, 16, true),
    meter: str(values, 'meter'),
    tuneType: str(values, 'type'),
    form: formFlag(values),
  };
}

/** --form on|off. */
function formFlag(values: ParsedValues): boolean {
  const v = (str(values, 'form') ?? 'on').toLowerCase();
  if (v !== 'on' && v !== 'off') throw new MixtapeError('BAD_ARGUMENT', `--form takes on or off (got "${v}")`);
  return v === 'on';
}

export const audioFormats = (formats: FileFormat[]): AudioFormat[] => formats.filter((f): f is AudioFormat => f === 'ogg' || f === 'mp3' || f === 'wav');

/** Writes the requested files (all or nothing) and prints the report. */
export async function writePiece(result: ComposeResult, values: ParsedValues, formats: FileFormat[], extra: Record<string, unknown>, totalMs: number): Promise<void> {
  const out = str(values, 'out') ?? '.';
  mkdirSync(out, { recursive: true });
  const base = str(values, 'name') ?? `${result.genre}-${result.seed}`;
  const bytesOf = (f: FileFormat): Uint8Array => {
    if (f === 'mid') return result.midi;
    if (f === 'png') return result.png;
    if (f === 'abc' || f === 'musicxml') return new TextEncoder().encode(notation(result, f));
    return result.audio.find((a) => a.format === f)!.bytes;
  };
  const files = formats.map((f) => ({ format: f, path: join(out, `${base}.${f}`), bytes: bytesOf(f) }));
  await writeAllOrNothing(files);
  const report = {
    files: Object.fromEntries(files.map((f) => [f.format, f.path])),
    title: result.title,
    genre: result.genre,
    model: result.modelName,
    bars: result.bars,
    tempo: result.tempo,
    seed: result.seed,
    temperature: result.temperature,
    meter: result.meter,
    tuneType: result.tuneType ?? null,
    instrument: result.instrument,
    durationSeconds: Number(result.durationSeconds.toFixed(3)),
    ...extra,
    timings: { ...roundAll(result.timings), totalMs: Math.round(totalMs) },
  };
  if (values.json) console.log(JSON.stringify(report));
  else {
    console.log(`${result.title}: ${result.bars} bars, ${result.tempo} bpm, seed ${result.seed}`);
    for (const f of files) console.log(`  ${f.path}`);
  }
}

/** The piece as ABC or MusicXML text, from its MIDI. */
function notation(result: ComposeResult, format: 'abc' | 'musicxml'): string {
  const score = { ...readMidi(result.midi), title: result.title };
  return format === 'abc' ? toAbc(score, { genre: result.genre, tuneType: result.tuneType }) : toMusicXml(score);
}

const roundAll = (o: object) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(Number(v))]));
