/** A deadline over work that cannot itself be cancelled: the caller gets its answer in time. */
import { MixtapeError } from '../engine/errors.ts';

/**
 * Longest a composition (generation + rendering) may take: the backstop over the studio's own
 * bounds (the generation worker's deadline, bounded primers), so a member always gets an answer.
 */
export const COMPOSE_DEADLINE_MS = 180_000;

/**
 * `work`, or a TOO_LARGE MixtapeError with `message` after `ms`.
 * @example await withDeadline(studio.composeTrack(req), 180000, 'This piece took too long and was stopped.')
 */
export function withDeadline<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  work.catch(() => undefined); // answered by the deadline already
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new MixtapeError('TOO_LARGE', message)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
