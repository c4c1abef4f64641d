import type { Command } from '../command.ts';
import { str } from '../command.ts';
import { audioFormats, formatsOf, pieceOptions, pieceParams, writePiece } from '../piece-options.ts';
import { composeTrack } from '../../studio/index.ts';
import { MixtapeError } from '../../engine/errors.ts';

const command: Command = {
  name: 'compose',
  summary: 'Compose a new piece with a genre model and write it as MIDI, audio and a piano-roll picture.',
  usage: 'compose --genre NAME [--bars N] [--seed N] [--out DIR] [options]',
  options: {
    genre: { type: 'string', short: 'g', description: 'celtic, classical, jazz, game, pop or dance' },
    model: { type: 'string', description: 'a model folder to use instead of the genre model (from mixtape train)' },
    ...pieceOptions,
  },
  async run(values) {
    const started = performance.now();
    const genre = str(values, 'genre');
    if (!genre) throw new MixtapeError('BAD_ARGUMENT', '--genre is required, e.g. --genre celtic (see mixtape compose --help)');
    const params = pieceParams(values);
    const formats = formatsOf(values);
    const result = await composeTrack(
      { genre, bars: params.bars, seed: params.seed, temperature: params.temperature, topP: params.topP, tempo: params.tempo, meter: params.meter, tuneType: params.tuneType, instrument: str(values, 'instrument'), formats: audioFormats(formats) },
      undefined,
      { modelPath: str(values, 'model'), key: str(values, 'key'), form: params.form, beam: params.beam > 1 ? { size: params.beam } : undefined, soundfont: str(values, 'soundfont'), noAudio: audioFormats(formats).length === 0, picture: formats.includes('png') },
    );
    await writePiece(result, values, formats, { topP: params.topP, key: str(values, 'key') ?? null, beam: params.beam }, performance.now() - started);
  },
};

export default command;
