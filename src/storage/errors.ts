/**
 * Turning database failures into errors the bot can answer with. Connection details never
 * reach the message: the original error is kept as `cause`, for the server-side log only.
 */
import { MixtapeError } from '../engine/errors.ts';

/** What the bot tells the member when the database is down. */
export const UNAVAILABLE_MESSAGE = 'the database is unavailable — try again in a minute';

/** Prisma's code for a unique-constraint violation. */
export const isUniqueViolation = (e: unknown): boolean => errorCode(e) === 'P2002';

/** Prisma's code for "the record to update/delete was not found". */
export const isRecordNotFound = (e: unknown): boolean => errorCode(e) === 'P2025';

/** A MixtapeError passes through; anything else from the database becomes UNAVAILABLE. */
export function toStoreError(e: unknown): MixtapeError {
  if (e instanceof MixtapeError) return e;
  const err = new MixtapeError('UNAVAILABLE', UNAVAILABLE_MESSAGE);
  err.cause = e;
  return err;
}

/** Run `fn`, turning database failures into MixtapeErrors. */
export async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toStoreError(e);
  }
}

function errorCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
