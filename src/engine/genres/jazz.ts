import type { Genre } from './genre.ts';

export const jazz: Genre = {
  key: 'jazz',
  label: 'Jazz solos',
  // Bar/position tokens rather than pitch+duration pairs: the pitch+duration LSTM was only 5.4 %
  // better than its Markov baseline on these solos, this one 22.3 % (docs/MODEL_FAMILIES.md).
  kind: 'polyphonic',
  tempo: { default: 140, min: 110, max: 180 },
  meter: { numerator: 4, denominator: 4 },
  sources: [
    { path: 'jazz/wjazzd_solos', licence: 'ODbL 1.0 (Weimar Jazz Database, as quoted by other repositories)', description: 'Weimar Jazz Database: transcribed improvised solos' },
  ],
  augment: [-3, -1, 0, 1, 3],
};
