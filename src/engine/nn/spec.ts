/**
 * A sequence network described by plain JSON: its inputs, LSTM sizes, variants and heads, and
 * named weight arrays. No TensorFlow here, so generation (nn/stepper.ts) and model loading start
 * without importing it.
 */
import { MixtapeError } from '../errors.ts';

export type InputSpec = { kind: 'onehot'; size: number } | { kind: 'embedding'; size: number; dim: number } | { kind: 'dense'; size: number };

export interface NetSpec {
  inputs: InputSpec[];
  hidden: number[];
  bidirectional?: boolean;
  attention?: number;
  dropout: number;
  heads: number[];
}

/** A named weight array, row-major. */
export interface NamedWeight { name: string; shape: number[]; data: Float32Array }

/** Width of the concatenated per-step input. @example inputWidth([{ kind: 'onehot', size: 64 }]) // 64 */
export const inputWidth = (inputs: InputSpec[]): number => inputs.reduce((n, s) => n + (s.kind === 'embedding' ? s.dim : s.size), 0);

/** Throws a MixtapeError when a NetSpec is unusable. */
export function validateSpec(spec: NetSpec): void {
  const bad = (msg: string) => { throw new MixtapeError('BAD_ARGUMENT', `invalid network spec: ${msg}`); };
  const posInt = (n: unknown) => Number.isInteger(n) && (n as number) > 0;
  if (!spec || !Array.isArray(spec.inputs) || spec.inputs.length === 0) bad('needs at least one input');
  for (const s of spec.inputs) {
    if (!['onehot', 'embedding', 'dense'].includes(s?.kind) || !posInt(s.size)) bad(`input ${JSON.stringify(s)} needs kind onehot|embedding|dense and a positive size`);
    if (s.kind === 'embedding' && !posInt(s.dim)) bad('embedding input needs a positive dim');
  }
  if (!Array.isArray(spec.hidden) || spec.hidden.length === 0 || !spec.hidden.every(posInt)) bad('hidden must list positive layer sizes');
  if (!Array.isArray(spec.heads) || spec.heads.length === 0 || !spec.heads.every(posInt)) bad('heads must list positive vocabulary sizes');
  if (!(spec.dropout >= 0 && spec.dropout < 1)) bad('dropout must be in [0, 1)');
  if (spec.attention !== undefined && spec.attention !== 0 && !posInt(spec.attention)) bad('attention must be a positive window');
  if (spec.bidirectional && spec.attention) bad('bidirectional and attention cannot be combined');
}
