/**
 * The model families Mixtape trains, each selectable by name. A kind is a codec plus the
 * shape of the network; a new kind is one entry here (and a codec file if it needs one).
 */
import { MixtapeError } from '../errors.ts';

export interface ModelKind {
  name: string;
  summary: string;
  /** Codec name (src/engine/models/codecs). */
  codec: string;
  hidden: number[];
  attention?: number;
  bidirectional?: boolean;
  dropout: number;
  /** Training window length in events. */
  steps: number;
}

export const kinds: Record<string, ModelKind> = {
  basic: { name: 'basic', summary: 'Magenta Basic RNN: one-hot melody on a 16th grid', codec: 'melody', hidden: [128, 128], dropout: 0.2, steps: 64 },
  lookback: { name: 'lookback', summary: 'Magenta Lookback RNN: melody plus 1- and 2-bar lookback, metric counters and repeat labels', codec: 'lookback', hidden: [128, 128], dropout: 0.2, steps: 64 },
  attention: { name: 'attention', summary: 'Magenta Attention RNN: melody LSTM attending over its last 40 outputs', codec: 'melody', hidden: [128, 128], attention: 40, dropout: 0.2, steps: 64 },
  bidirectional: { name: 'bidirectional', summary: 'AI-Jukebox style bidirectional LSTM reading a 32-step window, predicting the next event', codec: 'melody', hidden: [128], bidirectional: true, dropout: 0.2, steps: 32 },
  pitchdur: { name: 'pitchdur', summary: 'note-level LSTM with two softmax heads: next pitch and next duration class', codec: 'pitchDuration', hidden: [128, 128], dropout: 0.2, steps: 64 },
  polyphonic: { name: 'polyphonic', summary: 'polyphonic LSTM over bar / position / pitch / duration / velocity tokens', codec: 'polyphonic', hidden: [128, 128], dropout: 0.1, steps: 64 },
  performance: { name: 'performance', summary: 'Performance RNN: note-on/off, 10 ms time shifts and velocities', codec: 'performance', hidden: [256, 256], dropout: 0.1, steps: 128 },
  drums: { name: 'drums', summary: 'Drums RNN: 9 drum classes per 16th step as one of 512 combinations', codec: 'drums', hidden: [128, 128], dropout: 0.2, steps: 64 },
  markov: { name: 'markov', summary: 'n-gram Markov chain with Witten-Bell smoothing (the stochastic baseline)', codec: 'pitchDuration', hidden: [], dropout: 0, steps: 0 },
};

/** The kind of a name, or an error naming the valid ones. @example getKind('lookback').codec // 'lookback' */
export function getKind(name: string): ModelKind {
  const kind = kinds[name];
  if (!kind) throw new MixtapeError('UNKNOWN_MODEL', `unknown model kind "${name}"; choose one of: ${Object.keys(kinds).join(', ')}`);
  return kind;
}
