import type { Genre } from './genre.ts';

export const classical: Genre = {
  key: 'classical',
  label: 'Classical piano (Mozart, Chopin, Beethoven, ...)',
  kind: 'polyphonic',
  tempo: { default: 100, min: 72, max: 132 },
  meter: { numerator: 4, denominator: 4 },
  sources: [
    { path: 'classical/piano-midi.de', licence: 'CC BY-SA 3.0 DE (piano-midi.de, Bernd Krueger); "for study and research only"', description: 'piano-midi.de solo piano performances of 25 composers, Mozart included' },
  ],
  augment: [-1, 0, 1],
};
