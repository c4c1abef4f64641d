/** Every codec by name: a new encoding for the networks is one file plus one line here. */
import type { Codec } from './codec.ts';
import { drumsCodec } from './drums.ts';
import { lookbackCodec } from './lookback.ts';
import { melodyCodec } from './melody.ts';
import { performanceCodec } from './performance.ts';
import { pitchDurationCodec } from './pitchDuration.ts';
import { polyphonicCodec } from './polyphonic.ts';

export const codecs: Record<string, Codec> = {
  melody: melodyCodec,
  lookback: lookbackCodec,
  pitchDuration: pitchDurationCodec,
  polyphonic: polyphonicCodec,
  performance: performanceCodec,
  drums: drumsCodec,
};

export type { Codec, Sequence, InputSpec, InputValue, SampleOptions } from './codec.ts';
