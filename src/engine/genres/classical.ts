import type { Genre } from './genre.ts';

export const classical: Genre = {
  key: 'classical',
  label: 'Classical piano (Mozart, Chopin, Beethoven, ...)',
  kind: 'polyphonic',
  tempo: { default: 100, min: 72, max: 132 },
  // piano-midi.de meters: 4/4 x112, 3/4 x74, 2/4 x60, 6/8 x34 (of 337; the rest are rare).
  meters: [
    { meter: { numerator: 4, denominator: 4 }, weight: 112 },
    { meter: { numerator: 3, denominator: 4 }, weight: 74 },
    { meter: { numerator: 2, denominator: 4 }, weight: 60 },
    { meter: { numerator: 6, denominator: 8 }, weight: 34 },
  ],
  // Periods of two 4-bar phrases, the second often opening like the first; a varied return of A,
  // or a repeated first period.
  form: { parts: ['ABAC', 'ABCA', 'AABC'], partBars: 8, phraseBars: 4, restate: 0.45, restateBars: 2, vary: 0.35, hold: 0.1, secondEnding: true, finalDownbeat: 0.5 },
  sources: [
    { path: 'classical/piano-midi.de', licence: 'CC BY-SA 3.0 DE (piano-midi.de, Bernd Krueger); "for study and research only"', description: 'piano-midi.de solo piano performances of 25 composers, Mozart included' },
  ],
  augment: [-1, 0, 1],
};
