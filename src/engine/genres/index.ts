/** Every genre `/compose` offers: a new genre is one file plus one line here. */
import { MixtapeError } from '../errors.ts';
import { celtic } from './celtic.ts';
import { classical } from './classical.ts';
import { dance } from './dance.ts';
import { game } from './game.ts';
import type { Genre } from './genre.ts';
import { jazz } from './jazz.ts';
import { pop } from './pop.ts';

export const genres: Record<string, Genre> = { celtic, classical, jazz, game, pop, dance };

/** Genre keys in display order. @example genreKeys() // ['celtic', 'classical', ...] */
export const genreKeys = (): string[] => Object.keys(genres);

/** The genre of a key, or a clear error naming the valid ones. @example getGenre('celtic').kind // 'pitchdur' */
export function getGenre(key: string): Genre {
  const genre = genres[key.trim().toLowerCase()];
  if (!genre) throw new MixtapeError('UNKNOWN_GENRE', `unknown genre "${key}"; choose one of: ${genreKeys().join(', ')}`);
  return genre;
}

export type { Genre, DataSource } from './genre.ts';
