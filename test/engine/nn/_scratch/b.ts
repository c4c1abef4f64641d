import { benchTraining, benchGeneration } from '../../../../src/engine/nn/bench.ts';
console.log(JSON.stringify(await benchTraining({ seconds: 15 }), null, 1));
console.log(JSON.stringify(await benchGeneration({ seconds: 6 }), null, 1));
