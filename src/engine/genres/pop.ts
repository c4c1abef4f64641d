import type { Genre } from './genre.ts';

export const pop: Genre = {
  key: 'pop',
  label: 'Pop piano arrangements',
  kind: 'polyphonic',
  tempo: { default: 96, min: 76, max: 124 },
  meter: { numerator: 4, denominator: 4 },
  sources: [{ path: 'pop/pop909', licence: 'MIT (POP909); songs (c) their owners', description: 'POP909 piano arrangements of Chinese pop songs' }],
  augment: [0],
};
