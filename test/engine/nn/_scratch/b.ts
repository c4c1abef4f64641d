import { benchTraining, benchGeneration } from '../../../../src/engine/nn/bench.ts';
const t0 = Date.now();
const t = await benchTraining(); const g = await benchGeneration();
console.log(JSON.stringify({ t, g, seconds: (Date.now() - t0) / 1000 }));
