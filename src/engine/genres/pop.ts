import type { Genre } from './genre.ts';

export const pop: Genre = {
  key: 'pop',
  label: 'Pop piano arrangements',
  kind: 'polyphonic',
  tempo: { default: 96, min: 76, max: 124 },
  // POP909 marks its bars as 1/4 (693 of 909 files), so the model writes one beat per "bar";
  // the songs are in 4/4, and a bar here is four of the model's bars.
  meters: [{ meter: { numerator: 4, denominator: 4 }, weight: 1 }],
  beatBars: true,
  // Verse and chorus, 8 bars each, the chorus coming back.
  form: { parts: ['ABAB', 'ABAB', 'AABB'], partBars: 8, phraseBars: 4, restate: 0.2, restateBars: 2, vary: 0.6, hold: 0.1, secondEnding: true, finalDownbeat: 0.1 },
  sources: [{ path: 'pop/pop909', licence: 'MIT (POP909); songs (c) their owners', description: 'POP909 piano arrangements of Chinese pop songs' }],
  augment: [0],
  // POP909 is very diatonic (scale consistency 0.965): at 0.9 / 0.95 the pieces drifted to 0.939
  // (100 pieces); 0.85 / 0.95 gave 0.959 with pitch-class entropy within 5.2 %.
  sampling: { temperature: 0.85, topP: 0.95 },
};
