/**
 * Worker thread body of the generation pool: models stay loaded here and every network step
 * runs here, so the bot's event loop never waits on a composition. Requests run one at a
 * time, in order, each announced ('started') so its deadline counts from its own start.
 */
import { parentPort } from 'node:worker_threads';
import { isMixtapeError } from '../engine/errors.ts';
import { genreKeys } from '../engine/genres/index.ts';
import { resolveModel } from '../engine/models/model.ts';
import { generateScore } from './generate-score.ts';
import type { GeneratorMessage, GeneratorReply } from './generator.ts';

const post = (m: GeneratorReply) => parentPort!.postMessage(m);

async function handle(m: GeneratorMessage): Promise<GeneratorReply> {
  if (m.type === 'warm') {
    // Generation steps in pure JS (nn/stepper.ts): no TensorFlow backend is loaded in this thread.
    const loaded = await Promise.allSettled(genreKeys().map((g) => resolveModel(g)));
    return { id: m.id, type: 'warmed', models: genreKeys().filter((_, i) => loaded[i].status === 'fulfilled') };
  }
  return { id: m.id, type: 'piece', piece: await generateScore(m.req, m.extras) };
}

const run = async (m: GeneratorMessage) => {
  post({ id: m.id, type: 'started' });
  await handle(m).then(post, (e: unknown) => post({ id: m.id, type: 'error', code: isMixtapeError(e) ? e.code : undefined, message: (e as Error).message }));
};

let queue: Promise<void> = Promise.resolve();
parentPort!.on('message', (m: GeneratorMessage) => {
  // Loading every model runs beside the compositions, not before them: the first member's piece
  // needs one model, shared with the warm-up's load of it (resolveModel keeps one load per model).
  if (m.type === 'warm') return void run(m);
  queue = queue.then(() => run(m));
});
