import type { Command } from '../command.ts';
import { num, str, strs } from '../command.ts';
import { MixtapeError } from '../../engine/errors.ts';
import { DEFAULT_GENERATED_PIECES, evaluateModel } from '../../engine/evaluation-report.ts';
import type { EvaluationReport } from '../../engine/evaluation-report.ts';
import { resolveModel, shippedModelNames } from '../../engine/models/model.ts';
import { initBackend } from '../../engine/nn/backend.ts';
import { parsePieces, readPieces } from '../../engine/pieces.ts';
import { formatComparison, loudnessOptions, loudnessPieces, measureLoudness } from './form.ts';

const f3 = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(3));
const pct = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? 'n/a' : `${(x * 100).toFixed(1)}%`);

function print(r: EvaluationReport): void {
  console.log(`model ${r.model} (${r.kind}) on ${r.pieces.used} pieces (${r.pieces.seenInTraining} left out: seen in training; ${r.pieces.unusable} unusable)`);
  console.log(`                 NLL/event  accuracy`);
  if (r.events.model) console.log(`  model          ${f3(r.events.model.nll).padStart(9)}  ${pct(r.events.model.accuracy).padStart(8)}`);
  console.log(`  Markov (n=${r.events.markov.order})   ${f3(r.events.markov.nll).padStart(9)}  ${pct(r.events.markov.accuracy).padStart(8)}`);
  if (r.events.nllImprovement !== undefined) console.log(`  NLL ${pct(r.events.nllImprovement)} lower than the Markov baseline`);
  if (r.notes) console.log(`  note level: next pitch ${pct(r.notes.pitchAccuracy)}, next duration ${pct(r.notes.durationAccuracy)} (${r.notes.notes} notes)`);
  if (r.music) {
    const g = r.music.generated;
    const d = r.music.data;
    console.log(`music statistics: ${r.music.generatedPieces} generated pieces of ${r.music.bars} bars vs the data`);
    for (const k of ['pitchClassEntropy', 'scaleConsistency', 'grooveConsistency', 'emptyBeatRate', 'polyphony', 'pitchRange', 'meanInterOnsetInterval'] as const) {
      console.log(`  ${k.padEnd(24)} ${f3(g[k]).padStart(8)}  ${f3(d[k]).padStart(8)}`);
    }
  }
  if (r.form) console.log(formatComparison(r.form).join('\n'));
}

const command: Command = {
  name: 'evaluate',
  summary: 'Measure a model against its Markov baseline on held-out MIDI files (per-event NLL, accuracy, note-level accuracy, music statistics, musical form).',
  usage: 'evaluate --model NAME --data DIR [--data DIR ...] [--json]',
  options: {
    model: { type: 'string', short: 'm', description: 'genre name of a shipped model, or a model folder' },
    data: { type: 'string', multiple: true, description: 'folder of held-out MIDI files (pieces seen in training are left out)' },
    generate: { type: 'string', description: 'pieces to generate for the music statistics', default: String(DEFAULT_GENERATED_PIECES) },
    bars: { type: 'string', description: 'bars per generated piece (use 32 to measure form: parts, phrase ends)', default: '16' },
    json: { type: 'boolean', description: 'print one JSON object' },
    ...loudnessOptions,
  },
  async run(values) {
    const name = str(values, 'model');
    const dirs = strs(values, 'data');
    if (!name) throw new MixtapeError('BAD_ARGUMENT', '--model is required (a genre such as celtic, or a model folder)');
    if (dirs.length === 0) throw new MixtapeError('BAD_ARGUMENT', '--data DIR is required (a folder of MIDI files the model has not seen)');
    const rendered = values.loudness ? loudnessPieces(values) : 0; // checked before the slow part
    await initBackend();
    const model = await resolveModel(name);
    const { loaded, failed } = parsePieces(readPieces(dirs));
    if (loaded.length === 0) throw new MixtapeError('NO_NOTES', `no readable MIDI files in ${dirs.join(', ')}`);
    const report = evaluateModel(model, loaded, { generate: num(values, 'generate', DEFAULT_GENERATED_PIECES, 0, 1000, true), bars: num(values, 'bars', 16, 1, 64, true) });
    if (rendered && report.form) {
      // A shipped model is named by its genre; a model folder goes to the studio as a path.
      const modelPath = shippedModelNames().includes(name) ? undefined : name;
      report.form.loudness = await measureLoudness({ genre: model.meta.genre ?? 'celtic', bars: report.form.bars, count: rendered, modelPath });
    }
    report.pieces.unusable += failed.length;
    report.pieces.given += failed.length;
    if (values.json) console.log(JSON.stringify(report, (_k, v) => (typeof v === 'number' && Number.isNaN(v) ? null : v)));
    else print(report);
  },
};

export default command;
