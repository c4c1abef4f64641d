/** Worker body of DataParallel (parallel.ts): a replica of the network that computes gradients and applies steps. */
import { parentPort } from 'node:worker_threads';
import { initBackend, type BackendName } from './backend.ts';
import { SequenceNetwork } from './network.ts';
import { GradientSlots, variableSizes, type ReplicaMessage, type ReplicaReply } from './parallel.ts';

const port = parentPort!;
let net: SequenceNetwork | undefined;
let slots: GradientSlots | undefined;
let sum: Float32Array[] = [];
let lastCpu = process.threadCpuUsage();
const post = (r: ReplicaReply) => port.postMessage(r);

async function handle(m: ReplicaMessage): Promise<void> {
  if (m.type === 'init') {
    await initBackend(m.backend === 'cpu' || m.backend === 'wasm' ? (m.backend as BackendName) : undefined);
    net = new SequenceNetwork(m.spec, { learningRate: m.learningRate, clipNorm: m.clipNorm });
    net.setWeights(m.weights);
    const sizes = variableSizes(net);
    slots = new GradientSlots(sizes, m.spec.heads.length, m.shared);
    sum = sizes.map((n) => new Float32Array(n));
    return post({ type: 'ready' });
  }
  if (!net || !slots) throw new Error('the training worker was not initialised');
  if (m.type === 'gradients') {
    const { nll, correct, count } = net.gradients(m.batch, m.scales, slots.theirs);
    const used = process.threadCpuUsage(lastCpu);
    lastCpu = process.threadCpuUsage();
    slots.stats.set([...nll, ...correct, ...count, (used.user + used.system) / 1000]);
    return slots.finished(m.step);
  }
  if (m.type === 'apply') {
    slots.acquire();
    return net.applyGradients(m.alone ? slots.mine[m.slot] : slots.sum(m.slot, sum));
  }
  net.setWeights(m.weights);
}

// Messages are handled strictly in order: an 'apply' always lands before the next 'gradients'.
let queue = Promise.resolve();
port.on('message', (m: ReplicaMessage) => {
  queue = queue.then(() => handle(m)).catch((e: unknown) => {
    post({ type: 'error', message: (e as Error)?.message ?? String(e) });
    slots?.failed();
  });
});
