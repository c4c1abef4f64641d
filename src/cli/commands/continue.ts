import { readFileSync, statSync } from 'node:fs';
import type { Command } from '../command.ts';
import { str } from '../command.ts';
import { audioFormats, formatsOf, pieceOptions, pieceParams, writePiece } from '../piece-options.ts';
import { composeTrack } from '../../studio/index.ts';
import { initBackend } from '../../engine/nn/backend.ts';
import { MixtapeError } from '../../engine/errors.ts';
import { MIDI_MAX_BYTES, writeMidi } from '../../engine/midi.ts';
import { ABC_MAX_CHARS, readAbc } from '../../engine/notation/index.ts';

/** Reads the primer (MIDI, or an ABC tune turned into MIDI) with its size bounded before reading it all. */
function readPrimer(path: string): Uint8Array {
  if (/\.abc$/i.test(path)) {
    const size = sizeOf(path);
    if (size > ABC_MAX_CHARS * 4) throw new MixtapeError('TOO_LARGE', `${path} is ${(size / 1024).toFixed(0)} KiB; the limit for an ABC file is ${ABC_MAX_CHARS / 1024} KiB`);
    return writeMidi(readAbc(readFileSync(path, 'utf8')));
  }
  const size = sizeOf(path);
  if (size > MIDI_MAX_BYTES) throw new MixtapeError('TOO_LARGE', `${path} is ${(size / 1048576).toFixed(1)} MiB; the limit for a MIDI file is ${MIDI_MAX_BYTES / 1048576} MiB`);
  return new Uint8Array(readFileSync(path));
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    throw new MixtapeError('NOT_FOUND', `no file at ${path}`);
  }
}

const command: Command = {
  name: 'continue',
  summary: 'Continue a MIDI file or an ABC tune (.abc): the primer is kept as it is and new bars follow it (the picture marks the primer).',
  usage: 'continue --input FILE.mid|FILE.abc [--bars N] [--genre NAME] [--out DIR] [options]',
  options: {
    input: { type: 'string', short: 'i', description: 'the MIDI file (.mid) or ABC tune (.abc) to continue' },
    genre: { type: 'string', short: 'g', description: 'genre model that continues it', default: 'celtic' },
    model: { type: 'string', description: 'a model folder to use instead of the genre model' },
    ...pieceOptions,
    bars: { type: 'string', description: 'new bars after the primer, 1 to 64', default: '8' },
  },
  async run(values) {
    const started = performance.now();
    const input = str(values, 'input');
    if (!input) throw new MixtapeError('BAD_ARGUMENT', '--input FILE.mid is required (the melody to continue)');
    const primerMidi = readPrimer(input);
    const params = pieceParams(values);
    const formats = formatsOf(values);
    const genre = str(values, 'genre') ?? 'celtic';
    await initBackend();
    const result = await composeTrack(
      { genre, bars: params.bars, seed: params.seed, temperature: params.temperature, topP: params.topP, tempo: params.tempo, instrument: str(values, 'instrument'), formats: audioFormats(formats), primerMidi },
      undefined,
      { modelPath: str(values, 'model'), key: str(values, 'key'), form: params.form, beam: params.beam > 1 ? { size: params.beam } : undefined, soundfont: str(values, 'soundfont'), noAudio: audioFormats(formats).length === 0, picture: formats.includes('png') },
    );
    if (!str(values, 'name')) values.name = `${input.split(/[\\/]/).pop()!.replace(/\.(midi?|abc)$/i, '')}-continued-${result.seed}`;
    await writePiece(result, values, formats, { input, topP: params.topP, key: str(values, 'key') ?? null, beam: params.beam }, performance.now() - started);
  },
};

export default command;
