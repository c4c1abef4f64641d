/** What generation needs from a trained network: feed one step per stream, read logits back. */
import type { InputValue } from './codecs/codec.ts';

export interface StepModel {
  /** Starts `streams` fresh streams (zero state). */
  reset(streams: number): void;
  /** Feeds one step of inputs to every stream; returns logits per stream, per head. */
  step(inputs: InputValue[][]): Float32Array[][];
  /** Keeps the streams at `indices`, in that order (beam search); may change the stream count. */
  reorder(indices: number[]): void;
}
