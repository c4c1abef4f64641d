/** Writing a trained model as a folder: network, Markov baseline, training-piece hashes, card. */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { modelCardMarkdown } from '../card.ts';
import { markovToJSON } from '../markov.ts';
import { saveModel } from '../nn/serialize.ts';
import type { TrainedModel } from '../train.ts';

/** Writes the model folder: network, Markov baseline, training-file hashes and the card. */
export async function writeModelFolder(out: string, trained: TrainedModel, sources: string[]): Promise<void> {
  const tmp = `${out}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  if (trained.model.spec) await saveModel(tmp, { spec: trained.model.spec, weights: trained.model.weights!, meta: {} }, trained.model.meta as unknown as Record<string, unknown>, 'float16');
  else await writeFile(join(tmp, 'markov-meta.json'), JSON.stringify(trained.model.meta, null, 1));
  await writeFile(join(tmp, 'markov.json.gz'), gzipSync(JSON.stringify(markovToJSON(trained.markov)), { level: 9 }));
  await writeFile(join(tmp, 'training-pieces.txt'), `${trained.trainHashes.sort().join('\n')}\n`);
  await writeFile(join(tmp, 'card.json'), `${JSON.stringify({ ...trained.card, sources }, null, 1)}\n`);
  await writeFile(join(tmp, 'MODEL_CARD.md'), modelCardMarkdown(trained.card, sources));
  // Keep the checkpoint folder for --resume, replace the rest.
  if (existsSync(join(out, '.checkpoint'))) await rename(join(out, '.checkpoint'), join(tmp, '.checkpoint')).catch(() => undefined);
  await rm(out, { recursive: true, force: true });
  await rename(tmp, out);
}

