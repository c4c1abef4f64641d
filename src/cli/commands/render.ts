import { readFile, stat, mkdir } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { Command } from '../command.ts';
import { str } from '../command.ts';
import { MixtapeError } from '../../engine/errors.ts';
import { getRenderer, renderScore } from '../../render/index.ts';
import { writeAllOrNothing } from '../../render/files.ts';
import type { EncodeFormat } from '../../render/ffmpeg.ts';

const ALL_FORMATS = ['ogg', 'mp3', 'wav', 'png'] as const;
type OutFormat = (typeof ALL_FORMATS)[number];
const MAX_MIDI_BYTES = 4 * 1024 * 1024;

function parseFormats(raw: string): OutFormat[] {
  const list = raw.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const f of list) {
    if (!(ALL_FORMATS as readonly string[]).includes(f)) throw new MixtapeError('BAD_ARGUMENT', `unknown format "${f}"; choose from ${ALL_FORMATS.join(', ')}`);
  }
  if (list.length === 0) throw new MixtapeError('BAD_ARGUMENT', `--format needs at least one of ${ALL_FORMATS.join(', ')}`);
  return [...new Set(list)] as OutFormat[];
}

async function readMidiFile(path: string): Promise<Uint8Array> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new MixtapeError('NOT_FOUND', `no such file: ${path}`);
  if (info.size > MAX_MIDI_BYTES) throw new MixtapeError('TOO_LARGE', `${path} is ${(info.size / 1048576).toFixed(1)} MiB; MIDI files up to 4 MiB are accepted`);
  return new Uint8Array(await readFile(path));
}

// Every option names `short` and `multiple`: command.ts passes them to parseArgs even when undefined.
const command: Command = {
  name: 'render',
  summary: 'Render a MIDI file to audio (Ogg/Opus, MP3, WAV) and a piano-roll PNG.',
  usage: 'render FILE.mid [--out DIR] [--format ogg,mp3,wav,png] [options]',
  positionals: true,
  options: {
    out: { type: 'string', short: 'o', description: 'output folder (created if missing)', default: '.', multiple: false },
    format: { type: 'string', short: 'f', description: 'comma-separated: ogg, mp3, wav, png', default: 'ogg,png', multiple: false },
    instrument: { type: 'string', short: 'i', description: 'lead instrument (piano, fiddle, flute, music box, synth lead, ...)', multiple: false },
    genre: { type: 'string', short: 'g', description: "apply a genre's band (celtic, classical, jazz, game, pop, dance)", multiple: false },
    soundfont: { type: 'string', short: 's', description: 'a .sf2/.sf3 SoundFont (default: $SOUNDFONT, else the bundled FluidR3Mono GM)', multiple: false },
    dry: { type: 'boolean', short: 'd', description: 'no reverb or chorus', multiple: false },
    humanize: { type: 'string', short: 'H', description: 'seed: add humanised timing, dynamics and tempo drift', multiple: false },
    json: { type: 'boolean', short: 'j', description: 'print one JSON object with files and timings', multiple: false },
  },
  async run(values, positionals) {
    if (positionals.length !== 1) throw new MixtapeError('BAD_ARGUMENT', 'give exactly one MIDI file (see: mixtape render --help)');
    const input = resolve(positionals[0]);
    const formats = parseFormats(str(values, 'format') ?? 'ogg,png');
    const outDir = resolve(str(values, 'out') ?? '.');
    const seedRaw = str(values, 'humanize');
    const seed = seedRaw === undefined ? undefined : Number(seedRaw);
    if (seed !== undefined && !Number.isInteger(seed)) throw new MixtapeError('BAD_ARGUMENT', `--humanize takes an integer seed (got "${seedRaw}")`);
    const midi = await readMidiFile(input);
    const t0 = performance.now();
    // Load the SoundFont first so its one-off cost is reported apart from rendering.
    const soundfontLoadMs = await getRenderer(str(values, 'soundfont')).ready();
    const audioFormats = formats.filter((f): f is EncodeFormat => f !== 'png');
    const result = await renderScore(midi, {
      soundfont: str(values, 'soundfont'),
      instrument: str(values, 'instrument'),
      genre: str(values, 'genre'),
      formats: audioFormats,
      reverb: !values.dry,
      chorus: !values.dry,
      picture: formats.includes('png'),
      expression: seed === undefined ? undefined : { seed, humanize: 1, dynamics: 0.7, tempoDrift: 0.5 },
    });
    // Everything is in memory now: write all files or none.
    await mkdir(outDir, { recursive: true });
    const base = basename(input, extname(input));
    const files = [
      ...result.files.map((f) => ({ format: f.format as OutFormat, path: join(outDir, `${base}.${f.format}`), bytes: f.bytes })),
      ...(formats.includes('png') ? [{ format: 'png' as OutFormat, path: join(outDir, `${base}.png`), bytes: result.png }] : []),
    ];
    await writeAllOrNothing(files);
    const totalMs = performance.now() - t0;
    if (values.json) {
      console.log(JSON.stringify({
        input, durationSeconds: round(result.durationSeconds), notes: result.noteCount, truncated: result.truncated,
        files: files.map((f) => ({ format: f.format, path: f.path, bytes: f.bytes.length })),
        timings: { soundfontLoadMs: round(soundfontLoadMs), renderMs: round(result.timings.renderMs), encodeMs: round(result.timings.encodeMs), imageMs: round(result.timings.imageMs), totalMs: round(totalMs) },
      }));
    } else {
      if (result.truncated) console.error(`warning: the piece was cut at ${Math.round(result.durationSeconds)} s (the render limit)`);
      for (const f of files) console.log(f.path);
    }
    return 0;
  },
};

const round = (x: number) => Math.round(x * 10) / 10;

export default command;
