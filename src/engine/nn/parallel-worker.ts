/** Worker body of DataParallel (parallel.ts): a replica of the network that computes gradients and applies steps. */
import { parentPort } from 'node:worker_threads';
import { initBackend, type BackendName } from './backend.ts';
import { SequenceNetwork } from './network.ts';
import type { ReplicaMessage, ReplicaReply } from './parallel.ts';

const port = parentPort!;
let net: SequenceNetwork | undefined;
let lastCpu = process.threadCpuUsage();
const post = (r: ReplicaReply, transfer: ArrayBuffer[] = []) => port.postMessage(r, transfer);

async function handle(m: ReplicaMessage): Promise<void> {
  if (m.type === 'init') {
    await initBackend(m.backend === 'cpu' || m.backend === 'wasm' ? (m.backend as BackendName) : undefined);
    net = new SequenceNetwork(m.spec, { learningRate: m.learningRate, clipNorm: m.clipNorm });
    net.setWeights(m.weights);
    return post({ type: 'ready' });
  }
  if (!net) throw new Error('the training worker was not initialised');
  if (m.type === 'gradients') {
    const result = net.gradients(m.batch, m.scales);
    const used = process.threadCpuUsage(lastCpu);
    lastCpu = process.threadCpuUsage();
    return post({ type: 'gradients', result, cpuMs: (used.user + used.system) / 1000 }, result.grads.map((g) => g.buffer as ArrayBuffer));
  }
  if (m.type === 'apply') return net.applyGradients(m.grads);
  net.setWeights(m.weights);
}

// Messages are handled strictly in order: an 'apply' always lands before the next 'gradients'.
let queue = Promise.resolve();
port.on('message', (m: ReplicaMessage) => {
  queue = queue.then(() => handle(m)).catch((e: unknown) => post({ type: 'error', message: (e as Error)?.message ?? String(e) }));
});
