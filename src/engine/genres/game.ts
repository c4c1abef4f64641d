import type { Genre } from './genre.ts';

export const game: Genre = {
  key: 'game',
  label: 'Video-game piano (Final Fantasy, Zelda, ...)',
  kind: 'polyphonic',
  tempo: { default: 110, min: 80, max: 140 },
  meters: [
    { meter: { numerator: 4, denominator: 4 }, weight: 274 },
    { meter: { numerator: 3, denominator: 4 }, weight: 30 },
  ],
  // Loops: an 8-bar theme, a contrasting part, the theme again varied.
  form: { parts: ['ABA', 'ABAC', 'AABA'], partBars: 8, phraseBars: 4, restate: 0.45, restateBars: 2, vary: 0.4, hold: 0.12, secondEnding: true, finalDownbeat: 0.3 },
  sources: [
    { path: 'game/ff_piano_skuldur', licence: 'unclear: fan-made arrangements; compositions (c) their owners', description: 'Final Fantasy piano arrangements (Classical-Piano-Composer)' },
    { path: 'game/vgmidi', licence: 'none stated: fan arrangements; compositions (c) their owners', description: 'VGMIDI piano arrangements of game soundtracks' },
  ],
  augment: [-1, 0, 1],
  // At 0.9 / 0.95 the pieces came out more diatonic than the data (scale consistency gap 0.041
  // over 60 pieces); 0.95 / 0.98 gave 0.007 and pitch-class entropy within 2.6 %.
  sampling: { temperature: 0.95, topP: 0.98 },
};
