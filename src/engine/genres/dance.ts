import type { Genre } from './genre.ts';

export const dance: Genre = {
  key: 'dance',
  label: 'Dance (drum grooves with synth lead and bass)',
  kind: 'drums',
  tempo: { default: 124, min: 118, max: 130 },
  meters: [{ meter: { numerator: 4, denominator: 4 }, weight: 1 }],
  // 4-bar loops, each played again with a varied (fill) last bar.
  form: { parts: 'AABB', partBars: 4, phraseBars: 4, restate: 0, restateBars: 0, vary: 0.25, hold: 0, secondEnding: true },
  sources: [{ path: 'dance/groove_midi_dataset', licence: 'CC BY 4.0 (Groove MIDI Dataset)', description: 'human-played drum grooves and fills (Magenta Groove MIDI Dataset)' }],
  augment: [0],
  // Sampled as trained: at 0.9 / 0.95 the grooves came out sparser and more repetitive than the
  // data (mean onset gap 0.59 vs 0.35 beats, groove consistency 0.82 vs 0.70 over 40 pieces);
  // at 1 / 1 they were 0.39 and 0.76.
  sampling: { temperature: 1, topP: 1 },
  stochasticLead: true,
};
