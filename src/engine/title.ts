/** Seeded titles, so a piece has a name people can vote for. */
import { createRng } from './random.ts';

const ADJECTIVES = ['Windy', 'Silver', 'Crooked', 'Golden', 'Midnight', 'Rambling', 'Quiet', 'Bright', 'Lonely', 'Merry', 'Hidden', 'Northern', 'Velvet', 'Restless', 'Distant', 'Copper'];
const NOUNS: Record<string, string[]> = {
  celtic: ['Harbour', 'Piper', 'Bog Road', 'Hornpipe', 'Lark', 'Ferry', 'Hills of Clare', 'Reel', 'Jig', 'Heather', 'Fiddler', 'Kitchen'],
  classical: ['Sonatina', 'Nocturne', 'Etude', 'Prelude', 'Minuet', 'Fantasia', 'Rondo', 'Impromptu', 'Berceuse', 'Waltz'],
  jazz: ['Blues', 'Changes', 'Street', 'Groove', 'Bop', 'Lullaby', 'Walk', 'Standard', 'Hour', 'Corner'],
  game: ['Dungeon', 'Overworld', 'Castle', 'Quest', 'Village', 'Boss', 'Airship', 'Forest', 'Save Point', 'Crystal'],
  pop: ['Summer', 'Heart', 'Letter', 'Skyline', 'Promise', 'Road Trip', 'Daydream', 'Rain', 'Polaroid', 'Neon'],
  dance: ['Drop', 'Pulse', 'Circuit', 'Strobe', 'Afterparty', 'Bassline', 'Rush', 'Warehouse', 'Sunrise', 'Voltage'],
};

/** A title for a genre, seed and key. @example titleFor('celtic', 7, 'D major') // 'The Merry Harbour (D major)' */
export function titleFor(genre: string, seed: number, key: string | null): string {
  const rng = createRng(seed);
  const nouns = NOUNS[genre] ?? NOUNS.pop;
  const name = `The ${ADJECTIVES[rng.int(ADJECTIVES.length)]} ${nouns[rng.int(nouns.length)]}`;
  return key ? `${name} (${key})` : name;
}
