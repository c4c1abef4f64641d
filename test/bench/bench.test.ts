import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchErrors, benchRows, formatTable } from '../../src/bench/rows.ts';
import { allPartsRan, measure, parseSkip } from '../../src/bench/run.ts';
import { median } from '../../src/bench/stats.ts';
import { isMixtapeError } from '../../src/engine/errors.ts';

const bin = fileURLToPath(new URL('../../bin/mixtape.js', import.meta.url));

/** Runs the CLI in a fresh process; stdout is kept whole to check that --json prints one object. */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

interface JsonRow { part: string; figure: string; project: number; baseline: number | null; ratio: number | null }

test('bench --quick --json prints one JSON object with positive figures and ratio = project / baseline', async () => {
  const { code, stdout, stderr } = await cli(['bench', '--quick', '--json', '--skip', 'parallel,render,compose,cold,start,voice,memory']);
  assert.equal(code, 0, stderr);
  const report = JSON.parse(stdout); // throws if anything else was printed on stdout
  assert.ok(['wasm', 'cpu', 'tensorflow'].includes(report.machine.backend));
  assert.ok(report.machine.cpus >= 1 && report.machine.availableParallelism >= 1);
  assert.deepEqual(report.skipped, ['parallel', 'render', 'compose', 'cold', 'start', 'voice', 'memory']);
  assert.deepEqual(report.errors, []);
  assert.ok(report.totalSeconds > 0);
  assert.deepEqual(Object.keys(report.parts).sort(), ['generation', 'training']);
  const t = report.parts.training.result;
  for (const f of [t.baseline, t.fused, t.fusedBest]) {
    assert.ok(f.sequencesPerSecond > 0 && f.tokensPerSecond > 0 && f.gflops > 0, JSON.stringify(f));
  }
  const g = report.parts.generation.result;
  assert.ok(g.baselineEventsPerSecond > 0 && g.stepperEventsPerSecond > 0 && g.batchedEventsPerSecond > 0);
  const rows = report.rows as JsonRow[];
  assert.deepEqual([...new Set(rows.map((r) => r.part))], ['training', 'generation']);
  for (const r of rows) {
    assert.ok(r.project > 0 && r.baseline! > 0, r.figure);
    assert.ok(Math.abs(r.ratio! - r.project / r.baseline!) < 1e-9 * r.ratio!, r.figure);
  }
  const seqRow = rows.find((r) => r.figure.startsWith('training sequences/s, batch 64'))!;
  assert.equal(seqRow.project, t.fused.sequencesPerSecond);
  assert.equal(seqRow.baseline, t.baseline.sequencesPerSecond);
  assert.ok(Math.abs(seqRow.ratio! - t.speedup) < 1e-9 * t.speedup);
});

test('bench --quick --json: training on two cores, cold CLI compose, the bot\'s first /compose and first voice packet figures', async () => {
  const { code, stdout, stderr } = await cli(['bench', '--quick', '--json', '--skip', 'training,generation,render,compose,memory']);
  assert.equal(code, 0, stderr);
  const report = JSON.parse(stdout);
  assert.deepEqual(report.errors, []);
  assert.deepEqual(Object.keys(report.parts).sort(), ['cold', 'parallel', 'start', 'voice']);
  const p = report.parts.parallel.result;
  assert.ok(p.oneCore > 0 && p.twoCores > 0 && p.cpuSpeedup > 0);
  assert.ok(Math.abs(p.speedup - p.twoCores / p.oneCore) < 1e-9);
  assert.equal(typeof p.oneCorePinned, 'boolean');
  const cold = report.parts.cold.result;
  assert.equal(cold.cachedMs.length, 1);
  assert.ok(cold.medianMs > 0);
  const start = report.parts.start.result;
  assert.equal(start.runs.length, 1);
  assert.ok(start.runs[0].readyMs > 0 && start.runs[0].ackMs >= 0 && start.runs[0].firstComposeMs > start.runs[0].ackMs, JSON.stringify(start));
  const v = report.parts.voice.result;
  assert.ok(v.wholeMs > 0 && v.streamedMs > 0 && v.radioMs > 0);
  const rows = report.rows as JsonRow[];
  for (const figure of ['training sequences/s on two cores', 'cold CLI compose', "bot's first /compose", 'first voice packet after /play', 'first voice packet after /radio']) {
    const r = rows.find((x) => x.figure.startsWith(figure));
    assert.ok(r && r.project > 0, figure);
  }
});

test('bench --help and a bad --skip', async () => {
  const help = await cli(['bench', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /usage: mixtape bench/);
  assert.match(help.stdout, /--skip VALUE/);
  const bad = await cli(['bench', '--skip', 'training,warp']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown bench part "warp"/);
});

test('parseSkip, median, measure', async () => {
  assert.deepEqual(parseSkip('Render, memory,render'), ['render', 'memory']);
  assert.deepEqual(parseSkip(undefined), []);
  assert.throws(() => parseSkip('gpu'), (e) => isMixtapeError(e) && e.code === 'BAD_ARGUMENT');
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
  const ok = await measure(async () => 42);
  assert.equal(ok.result, 42);
  assert.equal(ok.error, undefined);
  const bad = await measure(async () => { throw new Error('boom'); });
  assert.equal(bad.error, 'boom');
  assert.equal(allPartsRan({ generation: bad }), false);
});

test('rows: ratios, budget, errors and the table', () => {
  const parts = {
    render: { seconds: 1, result: { soundfont: 'x.sf3', audioSeconds: 60, notes: 10, js: { loadMs: 5000, renderMs: 1000, speed: 60 } } },
    memoryTraining: { seconds: 1, result: { backend: 'wasm', kind: 'pitchdur', hidden: [128, 128], window: 64, batch: 64, trainSteps: 3, seconds: 2, sequencesPerSecond: 90, startRssMiB: 100, rssMiB: 250, peakRssMiB: 256 } },
    compose: { seconds: 1, error: 'no model' },
  };
  const rows = benchRows(parts);
  const synth = rows.find((r) => r.figure.startsWith('render speed'))!;
  assert.equal(synth.project, 60);
  assert.equal(synth.baseline, null); // no native fluidsynth: no ratio
  assert.equal(synth.ratio, null);
  const mem = rows.find((r) => r.part === 'memory')!;
  assert.equal(mem.baseline, 1024);
  assert.equal(mem.ratio, 0.25);
  assert.deepEqual(benchErrors(parts), ['compose: no model']);
  const table = formatTable(rows, { backend: 'wasm', cpus: 2, availableParallelism: 2, loadAverage: [1, 1, 1], node: 'v22', platform: 'linux x64' });
  assert.match(table, /peak RSS training pitchdur 128x128 batch 64 +256 MiB +1024 MiB +0\.250x/);
});
