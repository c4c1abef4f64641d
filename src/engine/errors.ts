/**
 * Typed errors for bad input. Anything thrown as a MixtapeError is the user's to fix:
 * its message is one short line that says what is wrong and what to do next.
 */
export type ErrorCode =
  | 'BAD_ARGUMENT'
  | 'UNKNOWN_GENRE'
  | 'UNKNOWN_MODEL'
  | 'UNKNOWN_INSTRUMENT'
  | 'NOT_MIDI'
  | 'EMPTY_MIDI'
  | 'NO_NOTES'
  | 'TOO_LARGE'
  | 'NOT_FOUND'
  | 'SOUNDFONT'
  | 'FFMPEG_MISSING'
  | 'LIMIT'
  | 'UNAVAILABLE';

export class MixtapeError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'MixtapeError';
    this.code = code;
  }
}

/** True when `e` is an error meant for the user (bad input), not a bug. */
export const isMixtapeError = (e: unknown): e is MixtapeError => e instanceof MixtapeError;
