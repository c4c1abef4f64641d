import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command, ParsedValues } from '../command.ts';
import { num, optionalNum, str } from '../command.ts';
import { defaultDatasetsDir } from '../../engine/dataset.ts';
import { MixtapeError } from '../../engine/errors.ts';
import { DEFAULT_GENERATED_PIECES, compareForm, generatePieces } from '../../engine/evaluation-report.ts';
import type { FormComparison, GenerationChoices } from '../../engine/evaluation-report.ts';
import { parseMeter as parseGenerationMeter, tuneType } from '../../engine/meter.ts';
import { DEFAULT_FORM_BARS, formStats, summarizeForm } from '../../engine/form.ts';
import type { FormSummary } from '../../engine/form.ts';
import { genreKeys, getGenre } from '../../engine/genres/index.ts';
import { parseKey } from '../../engine/key.ts';
import { resolveModel } from '../../engine/models/model.ts';
import { initBackend } from '../../engine/nn/backend.ts';
import { parsePieces, readPieces } from '../../engine/pieces.ts';
import type { Piece } from '../../engine/pieces.ts';
import { TARGET_LUFS, closeRenderers, integratedLoudness } from '../../render/index.ts';
import { composeTrack } from '../../studio/index.ts';

/** At most this many MIDI files are read per run (a genre's data is about 2,100 files at most). */
const MAX_FILES = 5000;

const f2 = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(2));
const meterList = (m: Record<string, number>, top = 3) =>
  Object.entries(m)
    .slice(0, top)
    .map(([k, v]) => `${k} ${Math.round(v * 100)}%`)
    .join(', ') || 'n/a';

const lufsText = (l: NonNullable<FormComparison['loudness']>) =>
  `mean ${l.meanLufs.toFixed(1)}, ${l.minLufs.toFixed(1)} to ${l.maxLufs.toFixed(1)} over ${l.pieces} pieces (target ${l.targetLufs})`;

/** The figures shown side by side, in reading order. */
const ROWS: [string, (s: FormSummary) => number | null][] = [
  ['bars that repeat an earlier bar (75 %)', (s) => s.barRepeatRate],
  ['bars repeating one exactly', (s) => s.exactBarRepeatRate],
  ['2-bar phrases that repeat', (s) => s.phrase2RepeatRate],
  ['4-bar phrases that repeat', (s) => s.phrase4RepeatRate],
  ['bars 9-16 against bars 1-8', (s) => s.partRepeat],
  ['last note >= 1 beat', (s) => s.lastNoteAtLeastOneBeat],
  ['last note on a beat', (s) => s.lastNoteOnBeat],
  ['last note on a downbeat', (s) => s.lastNoteOnDownbeat],
  ['last note length (beats)', (s) => s.lastNoteBeats],
  ['ends on the tonic (bass)', (s) => s.endsOnTonic],
  ['phrase ends (bars 4, 8, ...) held', (s) => s.phraseEndHeld],
  ['other bars held', (s) => s.otherBarsHeld],
  ['leading empty bars (mean)', (s) => s.meanLeadingEmptyBars],
  ['opening with > 1 empty bar', (s) => s.openingWithOverOneEmptyBar],
];

/** Pieces rendered for the loudness figure by default: each is a full synthesis (about a second or two per 32 bars). */
export const DEFAULT_LOUDNESS_PIECES = 10;

/**
 * Integrated loudness (EBU R128) of pieces as a member gets them: composed, voiced, humanised
 * and rendered by the studio (seeds 1..count), measured on the delivered PCM.
 */
export async function measureLoudness(opts: { genre: string; bars: number; count: number; modelPath?: string }): Promise<NonNullable<FormComparison['loudness']>> {
  const values: number[] = [];
  try {
    for (let seed = 1; seed <= opts.count; seed++) {
      const r = await composeTrack({ genre: opts.genre, bars: opts.bars, seed, formats: [] }, undefined, { modelPath: opts.modelPath, picture: false });
      if (r.pcm) values.push(integratedLoudness(r.pcm, 48000, 2));
    }
  } finally {
    await closeRenderers(); // the synth worker would keep the process alive
  }
  const finite = values.filter(Number.isFinite);
  const mean = finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : NaN;
  return { pieces: finite.length, targetLufs: TARGET_LUFS, meanLufs: mean, minLufs: Math.min(...finite), maxLufs: Math.max(...finite) };
}

/** One summary as lines (the data column alone). */
export function formatSummary(s: FormSummary, bars: number): string[] {
  const lines = [`form of ${s.pieces} pieces (first ${bars} full bars${s.shorterLeftOut ? `; ${s.shorterLeftOut} shorter pieces left out` : ''})`];
  for (const [label, pick] of ROWS) lines.push(`  ${label.padEnd(40)} ${f2(pick(s)).padStart(6)}`);
  lines.push(`  ${'meters'.padEnd(40)} ${meterList(s.meters, 6)}`);
  return lines;
}

/** Generated beside data, as lines (used by `mixtape evaluate` too). */
export function formatComparison(c: FormComparison): string[] {
  const lines = [
    `form: ${c.generated.pieces} generated pieces of ${c.bars} bars vs ${c.data.pieces} real pieces${c.dataMinBars ? ` with >= ${c.dataMinBars} full bars` : ''}${c.barMeter ? ` (bars measured in ${c.barMeter})` : ''}`,
    `  ${''.padEnd(40)} ${'generated'.padStart(9)} ${'data'.padStart(6)}`,
  ];
  for (const [label, pick] of ROWS) lines.push(`  ${label.padEnd(40)} ${f2(pick(c.generated)).padStart(9)} ${f2(pick(c.data)).padStart(6)}`);
  lines.push(`  ${'meters, generated'.padEnd(40)} ${meterList(c.generated.meters)}`);
  lines.push(`  ${'meters, data'.padEnd(40)} ${meterList(c.data.meters)}`);
  if (c.loudness) lines.push(`  ${'loudness of rendered pieces (LUFS)'.padEnd(40)} ${lufsText(c.loudness)}`);
  return lines;
}

/** The README table: one row per genre, each cell "data / generated". */
export function formTableMarkdown(rows: { genre: string; form: FormComparison }[]): string {
  const cell = (c: FormComparison, pick: (s: FormSummary) => number | null) => `${f2(pick(c.data))} / ${f2(pick(c.generated))}`;
  const loud = rows.some((r) => r.form.loudness);
  const head = `| genre | pieces | bars repeat | 4-bar phrases repeat | bars 9-16 vs 1-8 | last note >= 1 beat | last note on downbeat | ends on tonic | phrase ends held (other bars) | opens with > 1 empty bar | meters: data; generated |${loud ? ' loudness, generated (LUFS) |' : ''}`;
  const lines = [head, `|${'---|'.repeat(loud ? 12 : 11)}`];
  for (const { genre, form: c } of rows) {
    const held = `${f2(c.data.phraseEndHeld)} (${f2(c.data.otherBarsHeld)}) / ${f2(c.generated.phraseEndHeld)} (${f2(c.generated.otherBarsHeld)})`;
    lines.push(
      `| ${genre}${c.barMeter ? ` (bars in ${c.barMeter})` : ''} | ${c.data.pieces} / ${c.generated.pieces} | ${cell(c, (s) => s.barRepeatRate)} | ${cell(c, (s) => s.phrase4RepeatRate)} | ${cell(c, (s) => s.partRepeat)} | ${cell(c, (s) => s.lastNoteAtLeastOneBeat)} | ${cell(c, (s) => s.lastNoteOnDownbeat)} | ${cell(c, (s) => s.endsOnTonic)} | ${held} | ${cell(c, (s) => s.openingWithOverOneEmptyBar)} | ${meterList(c.data.meters)}; ${meterList(c.generated.meters)} |${loud ? ` ${c.loudness ? `${c.loudness.meanLufs.toFixed(1)} (${c.loudness.minLufs.toFixed(1)} to ${c.loudness.maxLufs.toFixed(1)})` : 'n/a'} |` : ''}`,
    );
  }
  return lines.join('\n');
}

/** MIDI files and folders named on the command line, as pieces. */
function piecesOf(paths: string[]): Piece[] {
  const pieces: Piece[] = [];
  for (const path of paths) {
    if (!existsSync(path)) throw new MixtapeError('NOT_FOUND', `no file or folder at ${path}`);
    if (statSync(path).isDirectory()) pieces.push(...readPieces([path], MAX_FILES - pieces.length));
    else pieces.push({ name: basename(path), bytes: new Uint8Array(readFileSync(path)) });
    if (pieces.length >= MAX_FILES) break;
  }
  return pieces.slice(0, MAX_FILES);
}

function parseMeter(text: string | undefined): { numerator: number; denominator: number } | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*(\d{1,2})\s*\/\s*(1|2|4|8|16|32)\s*$/.exec(text);
  if (!m || Number(m[1]) < 1) throw new MixtapeError('BAD_ARGUMENT', `--meter must look like 6/8 or 4/4 (got "${text}")`);
  return { numerator: Number(m[1]), denominator: Number(m[2]) };
}

/** Real scores of a genre's data (every file of its sources), or of the given paths. */
function dataScores(genre: string, paths: string[], root: string) {
  const dirs = getGenre(genre).sources.map((s) => join(root, s.path)).filter((d) => existsSync(d));
  if (!paths.length && dirs.length === 0) throw new MixtapeError('NOT_FOUND', `no ${genre} data under ${root}; give --datasets DIR or MIDI files to compare with`);
  const pieces = paths.length ? piecesOf(paths) : readPieces(dirs, MAX_FILES);
  return parsePieces(pieces).loaded.map((p) => p.score);
}

async function compareGenre(genre: string, values: ParsedValues, paths: string[]): Promise<FormComparison> {
  const bars = num(values, 'bars', DEFAULT_FORM_BARS, 1, 64, true);
  const count = num(values, 'generate', DEFAULT_GENERATED_PIECES, 1, 1000, true);
  // Options are checked before the slow part.
  const rendered = values.loudness ? loudnessPieces(values) : 0;
  const choices = generationChoices(values);
  const model = await resolveModel(str(values, 'model') ?? genre);
  const data = dataScores(genre, paths, str(values, 'datasets') ?? defaultDatasetsDir());
  if (data.length === 0) throw new MixtapeError('NO_NOTES', `no readable MIDI files for ${genre}; check --datasets or the paths`);
  const form = compareForm(generatePieces(model, getGenre(genre), count, bars, choices), data, bars, genre);
  if (rendered) form.loudness = await measureLoudness({ genre, bars, count: rendered, modelPath: str(values, 'model') });
  return form;
}

/** Sampling, meter, tune type and plan for the generated side (to measure alternatives). */
function generationChoices(values: ParsedValues): GenerationChoices {
  const meter = str(values, 'meter');
  const type = str(values, 'type');
  return {
    temperature: optionalNum(values, 'temperature', 0.1, 2),
    topP: optionalNum(values, 'top-p', 0.01, 1),
    ...(meter ? { meter: parseGenerationMeter(meter) } : {}),
    ...(type ? { tuneType: tuneType(type) } : {}),
    ...(values['no-plan'] ? { form: false } : {}),
  };
}

/** Pieces to render for --loudness. */
export const loudnessPieces = (values: ParsedValues) => num(values, 'loudness-pieces', DEFAULT_LOUDNESS_PIECES, 1, 50, true);

/** The --loudness options `form` and `evaluate` share. */
export const loudnessOptions = {
  loudness: { type: 'boolean' as const, description: 'also render generated pieces as /compose does and measure their integrated loudness (EBU R128)' },
  'loudness-pieces': { type: 'string' as const, description: 'pieces rendered for --loudness', default: String(DEFAULT_LOUDNESS_PIECES) },
};

const command: Command = {
  name: 'form',
  summary:
    'Measure musical form (repeated bars and phrases, bars 9-16 against 1-8, endings, phrase ends, meter, leading rests) of MIDI files, or of a genre model\'s pieces beside its data.',
  usage: 'form [FILES|DIRS...] [--bars 32] [--json]  |  form --genre NAME [--generate 50]  |  form --all-genres --markdown',
  positionals: true,
  options: {
    bars: { type: 'string', description: 'full bars measured per piece (from bar 1)', default: String(DEFAULT_FORM_BARS) },
    'min-bars': { type: 'string', description: 'leave out files with fewer full bars', default: '0' },
    meter: { type: 'string', description: "files: measure bars of this meter instead of each file's own, e.g. 4/4; with --genre: compose in this meter" },
    type: { type: 'string', description: 'with --genre: compose this tune type (reel, jig, slip jig, hornpipe, polka, ...)' },
    temperature: { type: 'string', description: "with --genre: sampling temperature (default: the genre's)" },
    'top-p': { type: 'string', description: "with --genre: nucleus sampling mass (default: the genre's)" },
    'no-plan': { type: 'boolean', description: "with --genre: compose without the genre's form plan (to measure what the plan adds)" },
    key: { type: 'string', description: 'check endings against this key (default: detected per piece), e.g. "D major"' },
    genre: { type: 'string', short: 'g', description: "generate pieces with this genre's model and compare them with its data (or with the given files)" },
    'all-genres': { type: 'boolean', description: 'every genre, data against generated (the README table with --markdown)' },
    model: { type: 'string', description: 'with --genre: a model folder instead of the shipped one' },
    generate: { type: 'string', description: 'with --genre / --all-genres: pieces to generate', default: String(DEFAULT_GENERATED_PIECES) },
    datasets: { type: 'string', description: 'datasets root for --genre / --all-genres (default: ../shared/datasets or MIXTAPE_DATASETS)' },
    markdown: { type: 'boolean', description: 'with --all-genres: print the markdown table' },
    ...loudnessOptions,
    json: { type: 'boolean', description: 'print one JSON object' },
  },
  async run(values, positionals) {
    const json = (x: unknown) => console.log(JSON.stringify(x, (_k, v) => (typeof v === 'number' && Number.isNaN(v) ? null : v)));
    if (values['all-genres'] || str(values, 'genre')) {
      if (values['all-genres'] && (str(values, 'genre') || positionals.length || str(values, 'model'))) {
        throw new MixtapeError('BAD_ARGUMENT', '--all-genres uses every genre\'s shipped model and data; leave out --genre, --model and file paths');
      }
      await initBackend();
      const list = values['all-genres'] ? genreKeys() : [getGenre(str(values, 'genre')!).key];
      const rows: { genre: string; form: FormComparison }[] = [];
      for (const genre of list) {
        const form = await compareGenre(genre, values, positionals);
        rows.push({ genre, form });
        if (!values.json && !values.markdown) console.log([`${genre}:`, ...formatComparison(form)].join('\n'));
      }
      if (values.json) json(values['all-genres'] ? Object.fromEntries(rows.map((r) => [r.genre, r.form])) : rows[0].form);
      else if (values.markdown) console.log(formTableMarkdown(rows));
      return;
    }
    if (positionals.length === 0) throw new MixtapeError('BAD_ARGUMENT', 'give MIDI files or folders to measure, or --genre NAME / --all-genres (see mixtape form --help)');
    const bars = num(values, 'bars', DEFAULT_FORM_BARS, 1, 64, true);
    const minBars = optionalNum(values, 'min-bars', 0, 64, true) ?? 0;
    const keyText = str(values, 'key');
    const meter = parseMeter(str(values, 'meter'));
    const { loaded, failed } = parsePieces(piecesOf(positionals));
    if (loaded.length === 0) throw new MixtapeError('NO_NOTES', `no readable MIDI files in ${positionals.join(', ')}`);
    const stats = loaded.map((p) => formStats(p.score, { maxBars: bars, ...(keyText ? { key: parseKey(keyText) } : {}), ...(meter ? { barMeter: meter } : {}) }));
    const summary = summarizeForm(stats, { minBars });
    if (values.json) json({ bars, unreadable: failed.length, summary, pieces: loaded.map((p, i) => ({ name: p.name, ...stats[i] })) });
    else console.log([...formatSummary(summary, bars), ...(failed.length ? [`(${failed.length} files were not readable MIDI)`] : [])].join('\n'));
  },
};

export default command;
