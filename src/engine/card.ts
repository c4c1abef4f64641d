/** The model card: what a model was trained on, how, and how well it does, in Markdown. */
import type { ModelCard } from './train.ts';
import { genres } from './genres/index.ts';

const pct = (x: number | undefined) => (x === undefined ? 'n/a' : `${(x * 100).toFixed(1)} %`);

/** Markdown for MODEL_CARD.md. @example modelCardMarkdown(card, ['datasets/celtic/x']) */
export function modelCardMarkdown(card: ModelCard, sources: string[]): string {
  const genre = card.genre ? genres[card.genre] : undefined;
  const m = card.metrics;
  const lines = [
    `# Model card: ${card.name}`,
    '',
    `- Kind: **${card.kind}**: ${card.kindSummary}`,
    `- Genre: ${genre ? `${genre.key} (${genre.label})` : card.genre ?? 'none'}`,
    `- Trained: ${card.createdAt}${card.training ? ` in ${Math.round(card.training.seconds)} s on the ${card.training.backend} backend, best epoch ${card.training.bestEpoch + 1} (stopped by ${card.training.stoppedBy})` : ''}`,
    '',
    '## Data',
    '',
    ...sources.map((s) => `- \`${s}\``),
    ...(genre ? genre.sources.map((s) => `- ${s.path}: ${s.description}. Licence: ${s.licence}`) : []),
    `- Pieces: ${card.data.pieces} (${card.data.trainPieces} training, ${card.data.validPieces} validation, ${card.data.unreadable} unreadable skipped); events: ${card.data.trainEvents} training (with transpositions ${card.data.augment.join(', ')}), ${card.data.validEvents} validation`,
    '',
    '## Hyper-parameters',
    '',
    '```json',
    JSON.stringify(card.hyperParameters, null, 1),
    '```',
    '',
    '## Metrics on the validation pieces (never trained on)',
    '',
    '| | NLL per event (nats) | next-event accuracy |',
    '|---|---|---|',
    ...(m.model ? [`| this model | ${m.model.nll.toFixed(3)} | ${pct(m.model.accuracy)} |`] : []),
    `| Markov baseline (order ${m.markov.order}, same training data) | ${m.markov.nll.toFixed(3)} | ${pct(m.markov.accuracy)} |`,
    '',
    m.improvement !== undefined ? `NLL ${pct(m.improvement)} lower than the Markov baseline.` : '',
    m.notes ? `Note level: next-pitch accuracy ${pct(m.notes.pitchAccuracy)}, next-duration accuracy ${pct(m.notes.durationAccuracy)} over ${m.notes.notes} notes.` : '',
    '',
    'Reproduce with the command in `scripts/train-models.sh`.',
    '',
  ];
  return lines.join('\n');
}
