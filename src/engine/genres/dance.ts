import type { Genre } from './genre.ts';

export const dance: Genre = {
  key: 'dance',
  label: 'Dance (drum grooves with synth lead and bass)',
  kind: 'drums',
  tempo: { default: 124, min: 118, max: 130 },
  meter: { numerator: 4, denominator: 4 },
  sources: [{ path: 'dance/groove_midi_dataset', licence: 'CC BY 4.0 (Groove MIDI Dataset)', description: 'human-played drum grooves and fills (Magenta Groove MIDI Dataset)' }],
  augment: [0],
  // Sampled as trained: at 0.9 / 0.95 the grooves came out sparser and more repetitive than the
  // data (mean onset gap 0.59 vs 0.35 beats, groove consistency 0.82 vs 0.70 over 40 pieces);
  // at 1 / 1 they were 0.39 and 0.76.
  sampling: { temperature: 1, topP: 1 },
  stochasticLead: true,
};
