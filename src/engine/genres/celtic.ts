import type { Genre } from './genre.ts';

export const celtic: Genre = {
  key: 'celtic',
  label: 'Celtic folk (jigs, reels, hornpipes)',
  kind: 'pitchdur',
  tempo: { default: 112, min: 96, max: 132 },
  meter: { numerator: 4, denominator: 4 },
  sources: [
    { path: 'celtic/ceol_rince_na_heireann', licence: 'CC BY 4.0 (README) / Unlicense (LICENSE.md)', description: 'Ceol Rince na hÉireann: monophonic Irish dance tunes (Breathnach, transcribed by Bill Black)' },
    { path: 'celtic/nottingham/MIDI/melody', licence: 'GPL-3.0 (jukedeck/nottingham-dataset)', description: 'Nottingham Music Database folk tunes, melody-only MIDI' },
  ],
  augment: [-2, 0, 2],
};
