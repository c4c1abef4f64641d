import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Command } from '../command.ts';
import { num, str, strs } from '../command.ts';
import { formatEta, progressBar } from '../progress.ts';
import { MixtapeError } from '../../engine/errors.ts';
import { getGenre } from '../../engine/genres/index.ts';
import { resolveModel } from '../../engine/models/model.ts';
import { initBackend } from '../../engine/nn/backend.ts';
import { parsePieces, readPieces } from '../../engine/pieces.ts';
import { trainModel } from '../../engine/train.ts';
import type { ModelCard } from '../../engine/train.ts';
import { writeModelFolder } from '../../engine/models/folder.ts';


const command: Command = {
  name: 'train',
  summary: 'Train a model (or fine-tune one with --base) on a folder of MIDI files; writes the weights, the Markov baseline and a model card.',
  usage: 'train --genre NAME --data DIR [--data DIR ...] --out DIR [options]',
  options: {
    genre: { type: 'string', description: 'genre this model composes (celtic, classical, jazz, game, pop, dance)' },
    data: { type: 'string', multiple: true, description: 'folder of MIDI files (repeatable); read in place, never copied' },
    out: { type: 'string', description: 'output model folder' },
    model: { type: 'string', description: 'model kind: basic, lookback, attention, bidirectional, pitchdur, polyphonic, performance, drums, markov', default: "the genre's kind" },
    epochs: { type: 'string', description: 'maximum epochs', default: '20' },
    base: { type: 'string', description: 'fine-tune this model (genre name or folder) on the new files' },
    name: { type: 'string', description: 'model name', default: 'the output folder name' },
    hidden: { type: 'string', description: 'LSTM layer sizes, e.g. 256,256', default: "the kind's" },
    batch: { type: 'string', description: 'batch size', default: '64' },
    lr: { type: 'string', description: 'learning rate', default: '0.002 (0.0005 with --base)' },
    patience: { type: 'string', description: 'epochs without validation improvement before stopping', default: '3' },
    'valid-fraction': { type: 'string', description: 'share of pieces held out for validation', default: '0.1' },
    augment: { type: 'string', description: 'transpositions in semitones, e.g. -2,0,2', default: "the genre's" },
    'max-minutes': { type: 'string', description: 'stop training after this many minutes' },
    'max-windows': { type: 'string', description: 'training windows per epoch at most' },
    resume: { type: 'boolean', description: 'resume from the checkpoint in the output folder' },
    workers: { type: 'string', description: 'threads per training step: 2 splits each batch over two cores (data-parallel)', default: '2 on a machine with 2+ cores' },
    seed: { type: 'string', description: 'random seed', default: '0' },
    json: { type: 'boolean', description: 'print the model card as JSON at the end' },
  },
  async run(values) {
    const out = str(values, 'out');
    const dirs = strs(values, 'data');
    if (!out) throw new MixtapeError('BAD_ARGUMENT', '--out DIR is required (where the model is written)');
    if (dirs.length === 0) throw new MixtapeError('BAD_ARGUMENT', '--data DIR is required (a folder of MIDI files)');
    const genreKey = str(values, 'genre');
    const genre = genreKey ? getGenre(genreKey) : undefined;
    const base = str(values, 'base') ? await resolveModel(str(values, 'base')!) : undefined;
    const kind = str(values, 'model') ?? base?.kind.name ?? genre?.kind;
    if (!kind) throw new MixtapeError('BAD_ARGUMENT', 'give --genre or --model (the model kind)');
    const backend = await initBackend();
    const pieces = readPieces(dirs);
    const { loaded, failed } = parsePieces(pieces);
    if (loaded.length < 2) throw new MixtapeError('NO_NOTES', `found ${loaded.length} readable MIDI files in ${dirs.join(', ')}; need at least 2`);
    const bar = progressBar(!!values.json);
    const epochs = num(values, 'epochs', 20, 1, 1000, true);
    const maxMinutes = str(values, 'max-minutes') ? num(values, 'max-minutes', 0, 0.1, 10000) : undefined;
    console.error(`backend ${backend}; ${loaded.length} pieces (${failed.length} unreadable) from ${dirs.join(', ')}`);
    const trained = await trainModel({
      name: str(values, 'name') ?? out.split(/[\\/]/).filter(Boolean).pop()!,
      kind,
      genre: genre?.key,
      pieces: loaded,
      epochs,
      base,
      hidden: str(values, 'hidden')?.split(',').map(Number),
      batchSize: num(values, 'batch', 64, 1, 4096, true),
      learningRate: str(values, 'lr') ? num(values, 'lr', 0.002, 1e-6, 1) : undefined,
      patience: num(values, 'patience', 3, 1, 1000, true),
      validFraction: num(values, 'valid-fraction', 0.1, 0.01, 0.5),
      augment: str(values, 'augment')?.split(',').map(Number) ?? genre?.augment,
      seed: num(values, 'seed', 0, 0, 2 ** 31, true),
      maxSeconds: maxMinutes ? maxMinutes * 60 : undefined,
      maxWindowsPerEpoch: str(values, 'max-windows') ? num(values, 'max-windows', 0, 1, 1e9, true) : undefined,
      checkpointDir: join(out, '.checkpoint'),
      resume: !!values.resume,
      workers: str(values, 'workers') ? num(values, 'workers', 1, 1, 2, true) : Math.min(2, availableParallelism()),
      onStage: (s) => bar.done(s),
      onProgress: (p) =>
        bar.update(
          (p.epoch + p.batch / Math.max(1, p.batches)) / epochs,
          `epoch ${p.epoch + 1}/${epochs} loss ${p.loss.toFixed(3)} acc ${(p.accuracy * 100).toFixed(1)}% ${Math.round(p.sequencesPerSecond)} seq/s ${Math.round(p.tokensPerSecond)} tok/s ETA ${formatEta(p.etaSeconds)}`,
        ),
    });
    trained.card.data.unreadable = failed.length;
    await writeModelFolder(out, trained, dirs.map((d) => d.replace(/^.*?(datasets[\\/])/, '$1')));
    bar.done(summary(trained.card, out));
    if (values.json) console.log(JSON.stringify(trained.card));
  },
};

function summary(card: ModelCard, out: string): string {
  const m = card.metrics;
  const model = m.model ? `model NLL ${m.model.nll.toFixed(3)} acc ${(m.model.accuracy * 100).toFixed(1)}%, ` : '';
  const gain = m.improvement !== undefined ? ` (${(m.improvement * 100).toFixed(1)}% lower NLL than Markov)` : '';
  return `wrote ${out}: ${model}Markov(order ${m.markov.order}) NLL ${m.markov.nll.toFixed(3)} acc ${(m.markov.accuracy * 100).toFixed(1)}%${gain}`;
}

export default command;
