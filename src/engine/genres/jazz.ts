import type { Genre } from './genre.ts';

export const jazz: Genre = {
  key: 'jazz',
  label: 'Jazz solos',
  // Bar/position tokens rather than pitch+duration pairs: the pitch+duration LSTM was only 5.4 %
  // better than its Markov baseline on these solos, this one 22.3 % (docs/MODEL_FAMILIES.md).
  kind: 'polyphonic',
  tempo: { default: 140, min: 110, max: 180 },
  meters: [{ meter: { numerator: 4, denominator: 4 }, weight: 390 }],
  // Improvised solos do not repeat bars (0.00 in the data): no parts, only phrase ends and an ending.
  form: { parts: 'A', partBars: 1024, phraseBars: 4, restate: 0, restateBars: 0, vary: 0, hold: 0.15, secondEnding: false, finalDownbeat: 0.1 },
  feel: { swing: 0.62, jitterMs: 12 },
  sources: [
    { path: 'jazz/wjazzd_solos', licence: 'ODbL 1.0 (Weimar Jazz Database, as quoted by other repositories)', description: 'Weimar Jazz Database: transcribed improvised solos' },
  ],
  augment: [-3, -1, 0, 1, 3],
};
