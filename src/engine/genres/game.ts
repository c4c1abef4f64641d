import type { Genre } from './genre.ts';

export const game: Genre = {
  key: 'game',
  label: 'Video-game piano (Final Fantasy, Zelda, ...)',
  kind: 'polyphonic',
  tempo: { default: 110, min: 80, max: 140 },
  meter: { numerator: 4, denominator: 4 },
  sources: [
    { path: 'game/ff_piano_skuldur', licence: 'unclear: fan-made arrangements; compositions (c) their owners', description: 'Final Fantasy piano arrangements (Classical-Piano-Composer)' },
    { path: 'game/vgmidi', licence: 'none stated: fan arrangements; compositions (c) their owners', description: 'VGMIDI piano arrangements of game soundtracks' },
  ],
  augment: [-1, 0, 1],
};
