/** The tune type a folk musician would name for a meter (ABC's `R:` field). */
import type { TimeSignature } from '../score.ts';

const BY_METER: Record<string, string> = {
  '6/8': 'jig',
  '9/8': 'slip jig',
  '12/8': 'slide',
  '2/4': 'polka',
  '3/4': 'waltz',
  '3/2': 'hornpipe',
  '4/4': 'reel',
  '2/2': 'reel',
};

/**
 * The usual dance for a meter, or '' when none is usual.
 * @example tuneTypeFor({ beat: 0, numerator: 6, denominator: 8 }) // 'jig'
 */
export function tuneTypeFor(meter: Pick<TimeSignature, 'numerator' | 'denominator'>): string {
  return BY_METER[`${meter.numerator}/${meter.denominator}`] ?? '';
}
