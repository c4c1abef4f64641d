/** The bench figures as table rows (figure, project, baseline, ratio) and their text table. */
import { MEMORY_BUDGET_MIB } from './memory.ts';
import type { BenchParts, MachineInfo } from './run.ts';

/** One figure. `ratio` is project / baseline exactly; null where there is no baseline. */
export interface Row {
  part: string;
  figure: string;
  unit: string;
  project: number;
  baseline: number | null;
  ratio: number | null;
  /** What the baseline is. */
  baselineLabel?: string;
}

function row(part: string, figure: string, unit: string, project: number, baseline?: number, baselineLabel?: string): Row {
  const b = baseline ?? null;
  return { part, figure, unit, project, baseline: b, ratio: b ? project / b : null, ...(baselineLabel ? { baselineLabel } : {}) };
}

/** Table rows for every part that produced figures (failed parts appear in `errors`). */
export function benchRows(parts: BenchParts): Row[] {
  const rows: Row[] = [];
  const t = parts.training?.result;
  if (t) {
    const base = 'tf.layers LSTM, batch 64';
    rows.push(row('training', 'training sequences/s, batch 64 (window 32)', 'seq/s', t.fused.sequencesPerSecond, t.baseline.sequencesPerSecond, base));
    rows.push(row('training', 'training tokens/s, batch 64', 'tok/s', t.fused.tokensPerSecond, t.baseline.tokensPerSecond, base));
    rows.push(row('training', 'training GFLOP/s, batch 64', 'GFLOP/s', t.fused.gflops, t.baseline.gflops, base));
    rows.push(row('training', `training sequences/s, fused batch ${t.fusedBest.batch}`, 'seq/s', t.fusedBest.sequencesPerSecond, t.baseline.sequencesPerSecond, base));
  }
  const p = parts.parallel?.result;
  if (p) {
    const base = `one core (one thread, whole batch${p.oneCorePinned ? ', process pinned to one CPU' : ''})`;
    rows.push(row('training', `training sequences/s on two cores (data-parallel), batch ${p.batch}`, 'seq/s', p.twoCores, p.oneCore, base));
    rows.push(row('training', '  the same from thread CPU time (busiest thread per step)', 'x', p.cpuSpeedup));
  }
  const g = parts.generation?.result;
  if (g) {
    const base = 'model.predict on the full window per event';
    rows.push(row('generation', 'generation events/s, 1 stream', 'ev/s', g.stepperEventsPerSecond, g.baselineEventsPerSecond, base));
    rows.push(row('generation', `generation events/s, ${g.batchedStreams} streams batched`, 'ev/s', g.batchedEventsPerSecond, g.baselineEventsPerSecond, base));
  }
  const r = parts.render?.result;
  if (r) {
    rows.push(row('render', 'render speed, synthesis (audio s / wall s)', 'x', r.js.speed, r.native?.speed, 'native fluidsynth CLI'));
    if (r.native) rows.push(row('render', 'render speed vs native incl. its start + font load', 'x', r.js.speed, r.native.speedWithLoad, 'native fluidsynth CLI per request'));
    rows.push(row('render', 'SoundFont load, once per process', 'ms', r.js.loadMs));
  }
  const c = parts.compose?.result;
  if (c) {
    const what = `compose ${c.bars} bars ${c.genre} (${c.formats.join('+')} + picture)`;
    rows.push(row('compose', `${what}, median of ${c.runs}, ${c.restMs} ms apart`, 'ms', c.medianMs));
    rows.push(row('compose', '  generate (median)', 'ms', c.stages.generateMs));
    rows.push(row('compose', '  render (median)', 'ms', c.stages.renderMs));
    rows.push(row('compose', '  encode, ogg and mp3 in parallel (median)', 'ms', c.stages.encodeMs));
    rows.push(row('compose', '  image (median)', 'ms', c.stages.imageMs));
    rows.push(row('compose', 'compose first call (loads model + SoundFont)', 'ms', c.warmupMs));
    rows.push(row('compose', `compose speed (music s / wall s, ${c.musicSeconds.toFixed(1)} s pieces)`, 'x', c.realtimeFactor));
  }
  const cold = parts.cold?.result;
  if (cold) {
    rows.push(row('cold start', `cold CLI compose ${cold.bars} bars ${cold.genre} (mid+ogg+mp3+png), median of ${cold.runs}`, 'ms', cold.medianMs, cold.uncachedMs, 'same command, no SoundFont cache'));
  }
  const st = parts.start?.result;
  if (st) {
    rows.push(row('cold start', `bot's first /compose ${st.bars} bars ${st.genre} after "bot ready" (posted track), median of ${st.runs.length} starts`, 'ms', st.medianMs));
    rows.push(row('cold start', `  acknowledged after "bot ready" (median)`, 'ms', st.medianAckMs));
  }
  const v = parts.voice?.result;
  if (v) {
    rows.push(row('voice', `first voice packet after /play, ${Math.round(v.musicSeconds)} s piece rendered from MIDI`, 'ms', v.streamedMs, v.wholeMs, 'whole render, then encode'));
    rows.push(row('voice', `first voice packet after /radio (first piece: ${v.radioBars} bars celtic composed and rendered)`, 'ms', v.radioMs));
    for (const [name, ms] of Object.entries(v.probes)) rows.push(row('voice', `first voice packet after /${name}`, 'ms', ms));
  }
  const budget = `${MEMORY_BUDGET_MIB} MiB budget`;
  const mt = parts.memoryTraining?.result;
  if (mt) rows.push(row('memory', `peak RSS training ${mt.kind} ${mt.hidden.join('x')} batch ${mt.batch}`, 'MiB', mt.peakRssMiB, MEMORY_BUDGET_MIB, budget));
  const mb = parts.memoryBot?.result;
  if (mb) {
    rows.push(row('memory', `peak RSS bot: ${mb.loaded.length} genre model${mb.loaded.length === 1 ? '' : 's'} (${mb.loaded.join(', ')}) + renderer, composing each`, 'MiB', mb.peakRssMiB, MEMORY_BUDGET_MIB, budget));
    rows.push(row('memory', '  RSS after loading the models', 'MiB', mb.modelsRssMiB));
    rows.push(row('memory', '  RSS after the renderer is warm', 'MiB', mb.rendererRssMiB));
  }
  return rows;
}

/** Failed parts as `part: message`. */
export function benchErrors(parts: BenchParts): string[] {
  return Object.entries(parts).filter(([, p]) => p?.error).map(([name, p]) => `${name}: ${p!.error}`);
}

/** A number with about three significant digits. @example fmt(1234.5) // '1235' */
export function fmt(n: number): string {
  const a = Math.abs(n);
  return a >= 100 ? n.toFixed(0) : a >= 10 ? n.toFixed(1) : a >= 1 ? n.toFixed(2) : n.toFixed(3);
}

/** Plain-text table of the rows, with the machine on top. */
export function formatTable(rows: Row[], machine: MachineInfo): string {
  const cells = rows.map((r) => [
    r.figure,
    `${fmt(r.project)} ${r.unit}`,
    r.baseline === null ? '' : `${fmt(r.baseline)} ${r.unit}`,
    r.ratio === null ? '' : `${fmt(r.ratio)}x`,
    r.baselineLabel ?? '',
  ]);
  const head = ['figure', 'project', 'baseline', 'ratio', 'baseline is'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => (i === 0 || i === 4 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ').trimEnd();
  return [
    `backend ${machine.backend}; ${machine.cpus} CPUs (available parallelism ${machine.availableParallelism}); load average ${machine.loadAverage.join(' ')}; node ${machine.node}`,
    '',
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
  ].join('\n');
}
