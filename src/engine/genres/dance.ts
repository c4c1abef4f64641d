import type { Genre } from './genre.ts';

export const dance: Genre = {
  key: 'dance',
  label: 'Dance (drum grooves with synth lead and bass)',
  kind: 'drums',
  tempo: { default: 124, min: 118, max: 130 },
  meter: { numerator: 4, denominator: 4 },
  sources: [{ path: 'dance/groove_midi_dataset', licence: 'CC BY 4.0 (Groove MIDI Dataset)', description: 'human-played drum grooves and fills (Magenta Groove MIDI Dataset)' }],
  augment: [0],
  stochasticLead: true,
};
