/**
 * Model files: a folder with `model.json` (format, NetSpec, the caller's opaque `meta`, and the
 * weight manifest) and `weights.bin` (little-endian float32, or float16 stored as uint16 to halve
 * the size). The single-blob form (toBytes/fromBytes) is: magic "MXNN", u32 JSON length, JSON,
 * then the weight bytes (for storing personal models in a database).
 */
import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { SequenceNetwork } from './network.ts';
import { validateSpec, type NamedWeight, type NetSpec } from './spec.ts';
import { MixtapeError } from '../errors.ts';

export type WeightDtype = 'float32' | 'float16';

export interface ModelFile {
  format: 'mixtape-nn/1';
  spec: NetSpec;
  meta: Record<string, unknown>;
  dtype: WeightDtype;
  weights: { name: string; shape: number[] }[];
}

/** A loaded model: spec, caller meta and named weights (build a network or a Stepper from them). */
export interface LoadedModel { spec: NetSpec; meta: Record<string, unknown>; weights: NamedWeight[] }

const corrupt = (why: string) => new MixtapeError('BAD_ARGUMENT', `corrupt model: ${why}; retrain or re-download the model`);

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 -> IEEE half bits (round to nearest even). @example toHalf(1) // 0x3c00 */
export function toHalf(v: number): number {
  f32[0] = v;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && (half & 1))) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1))) half++; // a carry into the exponent is correct rounding
  return sign | half;
}

/** IEEE half bits -> number. @example fromHalf(0x3c00) // 1 */
export function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

function encodeWeights(weights: NamedWeight[], dtype: WeightDtype): Uint8Array {
  const total = weights.reduce((n, w) => n + w.data.length, 0);
  if (dtype === 'float32') {
    const out = new Float32Array(total);
    let o = 0;
    for (const w of weights) { out.set(w.data, o); o += w.data.length; }
    return new Uint8Array(out.buffer);
  }
  const out = new Uint16Array(total);
  let o = 0;
  for (const w of weights) for (let i = 0; i < w.data.length; i++) out[o++] = toHalf(w.data[i]);
  return new Uint8Array(out.buffer);
}

function decodeWeights(file: ModelFile, bytes: Uint8Array): NamedWeight[] {
  const width = file.dtype === 'float16' ? 2 : 4;
  const sizes = file.weights.map((w) => w.shape.reduce((a, b) => a * b, 1));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (bytes.byteLength !== total * width) throw corrupt(`weights hold ${bytes.byteLength} bytes, the manifest needs ${total * width}`);
  const copy = bytes.slice(); // aligned copy
  const values = width === 4 ? new Float32Array(copy.buffer, 0, total) : Float32Array.from(new Uint16Array(copy.buffer, 0, total), fromHalf);
  let o = 0;
  return file.weights.map((w, i) => {
    const data = values.slice(o, o + sizes[i]);
    o += sizes[i];
    return { name: w.name, shape: [...w.shape], data };
  });
}

/** Checks a parsed model.json and its weights against a freshly built network of its spec. */
function validate(file: unknown): ModelFile {
  const f = file as ModelFile;
  if (!f || typeof f !== 'object' || f.format !== 'mixtape-nn/1') throw corrupt('unknown format');
  if (f.dtype !== 'float32' && f.dtype !== 'float16') throw corrupt('unknown weight type');
  if (!Array.isArray(f.weights) || f.weights.some((w) => typeof w?.name !== 'string' || !Array.isArray(w.shape) || !w.shape.every((n) => Number.isInteger(n) && n > 0))) throw corrupt('bad weight manifest');
  try {
    validateSpec(f.spec);
  } catch (e) {
    throw corrupt((e as Error).message);
  }
  const expected = expectedShapes(f.spec);
  const got = new Map(f.weights.map((w) => [w.name, w.shape.join('x')]));
  for (const [name, shape] of expected) {
    if (got.get(name) !== shape.join('x')) throw corrupt(`weight ${name} should be [${shape}]`);
  }
  if (got.size !== expected.size) throw corrupt('unexpected extra weights');
  return { ...f, meta: f.meta && typeof f.meta === 'object' ? f.meta : {} };
}

/** Names and shapes every network of this spec has (no tf needed). */
export function expectedShapes(spec: NetSpec): Map<string, number[]> {
  const out = new Map<string, number[]>();
  spec.inputs.forEach((s, k) => { if (s.kind === 'embedding') out.set(`input${k}.embedding`, [s.size, s.dim]); });
  const width = spec.inputs.reduce((n, s) => n + (s.kind === 'embedding' ? s.dim : s.size), 0);
  const dirs = spec.bidirectional ? ['forward', 'backward'] : ['forward'];
  for (const dir of dirs) {
    let i = width;
    spec.hidden.forEach((h, l) => {
      out.set(`${dir}.${l}.kernel`, [i, 4 * h]);
      out.set(`${dir}.${l}.recurrentKernel`, [h, 4 * h]);
      out.set(`${dir}.${l}.bias`, [4 * h]);
      i = h;
    });
  }
  const top = spec.hidden[spec.hidden.length - 1];
  if (spec.attention) out.set('attention.query', [top, top]);
  const feat = spec.bidirectional || spec.attention ? 2 * top : top;
  spec.heads.forEach((v, k) => { out.set(`head${k}.kernel`, [feat, v]); out.set(`head${k}.bias`, [v]); });
  return out;
}

function describe(spec: NetSpec, meta: Record<string, unknown>, weights: NamedWeight[], dtype: WeightDtype): ModelFile {
  return { format: 'mixtape-nn/1', spec, meta, dtype, weights: weights.map((w) => ({ name: w.name, shape: w.shape })) };
}

// Duck-typed (no instanceof): loading a model must not import TensorFlow through network.ts.
const source = (net: SequenceNetwork | LoadedModel): { spec: NetSpec; weights: NamedWeight[] } =>
  'getWeights' in net ? { spec: net.spec, weights: net.getWeights() } : net;

/**
 * Writes `model.json` + `weights.bin` into dir (created if needed; files replaced atomically).
 * @example await saveModel('models/basic', net, { kind: 'basic_rnn' })
 */
export async function saveModel(dir: string, net: SequenceNetwork | LoadedModel, meta: Record<string, unknown> = {}, dtype: WeightDtype = 'float32'): Promise<void> {
  const { spec, weights } = source(net);
  await mkdir(dir, { recursive: true });
  const write = async (name: string, data: string | Uint8Array) => {
    const tmp = path.join(dir, `.${name}.tmp`);
    await writeFile(tmp, data);
    await rename(tmp, path.join(dir, name));
  };
  await write('weights.bin', encodeWeights(weights, dtype));
  await write('model.json', JSON.stringify(describe(spec, meta, weights, dtype), null, 1));
}

/** Reads and validates a model folder. Throws MixtapeError NOT_FOUND or BAD_ARGUMENT (corrupt). */
export async function loadModel(dir: string): Promise<LoadedModel> {
  let json: string;
  let bin: Uint8Array;
  try {
    json = await readFile(path.join(dir, 'model.json'), 'utf8');
    bin = await readFile(path.join(dir, 'weights.bin'));
  } catch {
    throw new MixtapeError('NOT_FOUND', `no model in ${dir} (needs model.json and weights.bin); train one first`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw corrupt('model.json is not JSON');
  }
  const file = validate(parsed);
  return { spec: file.spec, meta: file.meta, weights: decodeWeights(file, bin) };
}

const MAGIC = [0x4d, 0x58, 0x4e, 0x4e]; // "MXNN"

/** Single-blob form of a model. @example const blob = toBytes(net, { kind: 'basic_rnn' }) */
export function toBytes(net: SequenceNetwork | LoadedModel, meta: Record<string, unknown> = {}, dtype: WeightDtype = 'float32'): Uint8Array {
  const { spec, weights } = source(net);
  const head = new TextEncoder().encode(JSON.stringify(describe(spec, meta, weights, dtype)));
  const body = encodeWeights(weights, dtype);
  const out = new Uint8Array(8 + head.length + body.length);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, head.length, true);
  out.set(head, 8);
  out.set(body, 8 + head.length);
  return out;
}

/** Parses a blob from toBytes; a MixtapeError when it is not a valid model. */
export function fromBytes(bytes: Uint8Array): LoadedModel {
  if (bytes.length < 8 || MAGIC.some((m, i) => bytes[i] !== m)) throw corrupt('not a Mixtape model blob');
  const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (8 + len > bytes.length) throw corrupt('truncated header');
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + len)));
  } catch {
    throw corrupt('header is not JSON');
  }
  const file = validate(parsed);
  return { spec: file.spec, meta: file.meta, weights: decodeWeights(file, bytes.subarray(8 + len)) };
}
