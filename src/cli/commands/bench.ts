import type { Command } from '../command.ts';
import { str } from '../command.ts';
import { closeRenderers } from '../../render/index.ts';
import { allPartsRan, machineInfo, parseSkip, PARTS, runBench } from '../../bench/run.ts';
import { benchErrors, benchRows, formatTable } from '../../bench/rows.ts';

/** Sends stdout writes to stderr while `fn` runs, so that --json prints only its one object. */
async function quietStdout<T>(fn: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => (process.stderr.write as (...a: unknown[]) => boolean)(chunk, ...rest)) as typeof write;
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
  }
}

const command: Command = {
  name: 'bench',
  summary: 'Measure the project against its baselines side by side in one run: training (one vs two cores) and generation vs tf.layers, rendering vs native fluidsynth, warm compose per stage, cold CLI compose, first voice packet, peak memory.',
  usage: 'bench [--json] [--quick] [--skip PART,...]',
  options: {
    json: { type: 'boolean', description: 'print one JSON object on stdout (progress goes to stderr)' },
    quick: { type: 'boolean', description: 'short measuring windows (a smoke test; figures are noisy)' },
    skip: { type: 'string', description: `parts to leave out, comma-separated: ${PARTS.join(', ')}` },
  },
  async run(values) {
    const skip = parseSkip(str(values, 'skip'));
    const quick = !!values.quick;
    const json = !!values.json;
    const started = performance.now();
    const machine = await machineInfo();
    const bench = () => runBench({ quick, skip, onPart: (name, about) => console.error(`bench ${name} (about ${Math.round(about)} s)...`) });
    const parts = json ? await quietStdout(bench) : await bench();
    await closeRenderers(); // the compose part leaves the process-wide renderer warm
    const totalSeconds = (performance.now() - started) / 1000;
    const rows = benchRows(parts);
    const errors = benchErrors(parts);
    if (json) console.log(JSON.stringify({ machine, quick, skipped: skip, totalSeconds, rows, errors, parts }));
    else {
      console.log(formatTable(rows, machine));
      for (const e of errors) console.log(`error in ${e}`);
      const missing = parts.memoryBot?.result?.missing ?? [];
      if (missing.length) console.log(`memory: no trained model yet for ${missing.join(', ')} (not loaded)`);
      console.log(`\ntotal ${totalSeconds.toFixed(1)} s${quick ? ' (--quick: short windows, noisy figures)' : ''}`);
    }
    return allPartsRan(parts) ? 0 : 1;
  },
};

export default command;
