import { readFile, stat, mkdir } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { Command } from '../command.ts';
import { num, optionalNum, str } from '../command.ts';
import { MixtapeError } from '../../engine/errors.ts';
import { writeAllOrNothing } from '../../render/files.ts';
import { REMIX_DESCRIPTIONS, REMIX_EFFECTS, remixTrack, type RemixEffect } from '../../studio/remix.ts';
import type { AudioFormat } from '../../studio/types.ts';

const FORMATS = ['ogg', 'mp3', 'wav'] as const;
const MAX_MIDI_BYTES = 4 * 1024 * 1024;

// Every option names `short` and `multiple`: command.ts passes them to parseArgs even when undefined.
const command: Command = {
  name: 'remix',
  summary: 'Transform a MIDI file with a seeded effect: curves on the notes or spectral effects on the sound.',
  usage: `remix FILE.mid --effect EFFECT [--seed N] [--out DIR]\n  effects: ${REMIX_EFFECTS.map((e) => `${e} (${REMIX_DESCRIPTIONS[e]})`).join('; ')}`,
  positionals: true,
  options: {
    effect: { type: 'string', short: 'e', description: `one of ${REMIX_EFFECTS.join(', ')}`, multiple: false },
    seed: { type: 'string', short: 's', description: 'same seed, same remix (default 1)', default: '1', multiple: false },
    amount: { type: 'string', short: 'a', description: 'how strong, 0..1 (default 1)', multiple: false },
    semitones: { type: 'string', short: 't', description: 'pitch-shift: -12..12 (default 5)', multiple: false },
    factor: { type: 'string', short: 'x', description: 'time-stretch: 0.5..2 (default 1.25)', multiple: false },
    out: { type: 'string', short: 'o', description: 'output folder (created if missing)', default: '.', multiple: false },
    format: { type: 'string', short: 'f', description: 'comma-separated: ogg, mp3, wav', default: 'ogg', multiple: false },
    soundfont: { type: 'string', short: 'S', description: 'a .sf2/.sf3 SoundFont (default: $SOUNDFONT, else the bundled one)', multiple: false },
    json: { type: 'boolean', short: 'j', description: 'print one JSON object with files and timings', multiple: false },
  },
  async run(values, positionals) {
    if (positionals.length !== 1) throw new MixtapeError('BAD_ARGUMENT', 'give exactly one MIDI file (see: mixtape remix --help)');
    const effect = str(values, 'effect') as RemixEffect | undefined;
    if (!effect) throw new MixtapeError('BAD_ARGUMENT', `--effect is required: one of ${REMIX_EFFECTS.join(', ')}`);
    const formats = (str(values, 'format') ?? 'ogg').split(',').map((f) => f.trim()).filter(Boolean) as AudioFormat[];
    const unknown = formats.find((f) => !(FORMATS as readonly string[]).includes(f));
    if (unknown || formats.length === 0) throw new MixtapeError('BAD_ARGUMENT', `--format takes ${FORMATS.join(', ')} (got "${unknown ?? ''}")`);
    const input = resolve(positionals[0]);
    const info = await stat(input).catch(() => undefined);
    if (!info?.isFile()) throw new MixtapeError('NOT_FOUND', `no such file: ${input}`);
    if (info.size > MAX_MIDI_BYTES) throw new MixtapeError('TOO_LARGE', `${input} is over 4 MiB; MIDI files up to 4 MiB are accepted`);
    const midi = new Uint8Array(await readFile(input));
    const seed = num(values, 'seed', 1, 0, 2 ** 31 - 1, true);
    const t0 = performance.now();
    const result = await remixTrack({
      midi, title: basename(input, extname(input)), genre: '', instrument: 'default', temperature: 1, effect, seed,
      amount: optionalNum(values, 'amount', 0, 1), semitones: optionalNum(values, 'semitones', -12, 12, true), factor: optionalNum(values, 'factor', 0.5, 2),
      formats,
    }, undefined, { soundfont: str(values, 'soundfont'), inThread: true });
    const outDir = resolve(str(values, 'out') ?? '.');
    await mkdir(outDir, { recursive: true });
    const base = `${basename(input, extname(input))}-${effect}-${seed}`;
    const files = [
      { format: 'mid', path: join(outDir, `${base}.mid`), bytes: result.midi },
      ...result.audio.map((a) => ({ format: a.format as string, path: join(outDir, `${base}.${a.format}`), bytes: a.bytes })),
    ];
    await writeAllOrNothing(files);
    if (values.json) {
      console.log(JSON.stringify({ input, effect, seed, durationSeconds: Math.round(result.durationSeconds * 10) / 10, files: files.map((f) => ({ format: f.format, path: f.path, bytes: f.bytes.length })), totalMs: Math.round(performance.now() - t0) }));
    } else for (const f of files) console.log(f.path);
    return 0;
  },
};

export default command;
