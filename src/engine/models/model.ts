/**
 * A trained model as the rest of Mixtape sees it: a folder (Magenta.js style) with a small
 * JSON description, the weights, the Markov baseline trained on the same data and a model
 * card. Shipped genre models live in `models/<genre>/` at the repository root.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { MixtapeError } from '../errors.ts';
import type { MarkovModel, MarkovJSON } from '../markov.ts';
import { markovFromJSON } from '../markov.ts';
import { fromBytes, loadModel } from '../nn/serialize.ts';
import type { LoadedModel } from '../nn/serialize.ts';
import type { NamedWeight, NetSpec } from '../nn/network.ts';
import { Stepper } from '../nn/stepper.ts';
import type { StepInput } from '../nn/stepper.ts';
import { codecs } from './codecs/index.ts';
import type { Codec } from './codecs/codec.ts';
import { getKind } from './kinds.ts';
import type { ModelKind } from './kinds.ts';
import type { StepModel } from './stepModel.ts';

/** What `model.json`'s `meta` holds for every Mixtape model. */
export interface ModelMeta {
  name: string;
  kind: string;
  genre?: string;
  /** Metre of generated pieces (16ths per bar). */
  stepsPerBar: number;
  /** How often each event opened a training piece (used when there is no primer). */
  firstEvents: Record<string, number>;
  /** Training window (events) and, for bidirectional models, the window read per prediction. */
  steps: number;
}

export interface Model {
  meta: ModelMeta;
  kind: ModelKind;
  codec: Codec;
  spec?: NetSpec;
  weights?: NamedWeight[];
  markov?: MarkovModel;
  /** The folder it came from, when it came from one. */
  dir?: string;
}

/** Folder of the shipped models. */
export const MODELS_DIR = fileURLToPath(new URL('../../../models/', import.meta.url));

const MARKOV_FILE = 'markov.json.gz';

/** Reads the Markov baseline stored beside a network, if any. */
function readMarkov(dir: string): MarkovModel | undefined {
  const file = join(dir, MARKOV_FILE);
  if (!existsSync(file)) return undefined;
  return markovFromJSON(JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as MarkovJSON);
}

function fromLoaded(loaded: LoadedModel, dir?: string): Model {
  const meta = loaded.meta as unknown as ModelMeta;
  const kind = getKind(meta.kind);
  return { meta, kind, codec: codecs[kind.codec], spec: loaded.spec, weights: loaded.weights, dir, markov: dir ? readMarkov(dir) : undefined };
}

/** Loads a model folder. @example (await loadModelDir('models/celtic')).meta.kind // 'pitchdur' */
export async function loadModelDir(dir: string): Promise<Model> {
  if (existsSync(join(dir, 'model.json'))) return fromLoaded(await loadModel(dir), dir);
  const markov = readMarkov(dir);
  if (!markov) throw new MixtapeError('NOT_FOUND', `no model in ${dir}: expected model.json (+ weights.bin) or ${MARKOV_FILE}`);
  const meta = JSON.parse(readFileSync(join(dir, 'markov-meta.json'), 'utf8')) as ModelMeta;
  const kind = getKind('markov');
  return { meta, kind, codec: codecs[kind.codec], markov, dir };
}

/** A model from its single-blob form (personal models stored in the database). */
export function loadModelBytes(bytes: Uint8Array): Model {
  return fromLoaded(fromBytes(bytes));
}

const cache = new Map<string, Promise<Model>>();

/**
 * A model by genre key, shipped model name or folder path; loaded once per process.
 * @example (await resolveModel('celtic')).codec.name // 'pitchDuration'
 */
export function resolveModel(nameOrPath: string): Promise<Model> {
  const shipped = join(MODELS_DIR, nameOrPath);
  const dir = /^[a-z0-9-]+$/i.test(nameOrPath) && existsSync(shipped) ? shipped : nameOrPath;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    const names = existsSync(MODELS_DIR) ? shippedModelNames().join(', ') : 'none';
    return Promise.reject(new MixtapeError('UNKNOWN_MODEL', `unknown model "${nameOrPath}"; shipped models: ${names} (or give a model folder)`));
  }
  let loading = cache.get(dir);
  if (!loading) {
    loading = loadModelDir(dir);
    cache.set(dir, loading);
    loading.catch(() => cache.delete(dir));
  }
  return loading;
}

/** Names of the shipped models. */
export function shippedModelNames(): string[] {
  if (!existsSync(MODELS_DIR)) return [];
  return readdirSync(MODELS_DIR).sort().filter((n) => existsSync(join(MODELS_DIR, n, 'model.json')) || existsSync(join(MODELS_DIR, n, MARKOV_FILE)));
}

/**
 * A step model over the network's weights: state carried per stream in pure JS. Bidirectional
 * networks re-read their last `meta.steps` inputs per event (their backward half must).
 */
export function stepModelOf(model: Model): StepModel {
  if (!model.spec || !model.weights) throw new MixtapeError('BAD_ARGUMENT', `model "${model.meta.name}" has no network (it is a ${model.kind.name} model)`);
  const { spec, weights } = model;
  let stepper: Stepper | undefined;
  let history: StepInput[][] = [];
  const ensure = (streams: number) => {
    if (!stepper || stepper.streams !== streams) stepper = new Stepper(spec, weights, streams);
    else stepper.reset();
  };
  return {
    reset(streams) {
      ensure(streams);
      history = [];
    },
    step(inputs) {
      if (!spec.bidirectional) return stepper!.step(inputs as StepInput[]);
      history.push(inputs as StepInput[]);
      if (history.length > model.meta.steps) history.shift();
      return stepper!.predictWindow(history);
    },
    reorder(indices) {
      stepper!.reorder(indices);
      history = history.map((row) => indices.map((i) => row[i]));
    },
  };
}
