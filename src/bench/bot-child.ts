/**
 * Child script: the bot's music footprint. Loads discord.js (the bot's largest library), every
 * shipped genre model, the warm renderer (SoundFont in its worker thread), then composes once per
 * loaded genre, and prints one JSON line with its peak RSS. Run by memory.ts in its own process.
 * ffmpeg encoders are separate processes and are not counted here.
 * Usage: node bot-child.ts [--bars 16] [--formats ogg,mp3]
 */
import { parseArgs } from 'node:util';
import { genreKeys } from '../engine/genres/index.ts';
import { MODELS_DIR, resolveModel, shippedModelNames } from '../engine/models/model.ts';
import { initBackend } from '../engine/nn/backend.ts';
import { closeRenderers, getRenderer } from '../render/index.ts';
import type { AudioFormat } from '../studio/types.ts';
import { memoryNow } from './stats.ts';

const { values } = parseArgs({ options: { bars: { type: 'string' }, formats: { type: 'string' } } });
const bars = Number(values.bars ?? 16);
const formats = (values.formats ?? 'ogg,mp3').split(',') as AudioFormat[];
const start = memoryNow();
await import('discord.js');
const backend = await initBackend();
const loaded: string[] = [];
const missing: string[] = [];
const shipped = new Set(shippedModelNames()); // folders with a finished model (not just a training checkpoint)
for (const genre of genreKeys()) {
  if (!shipped.has(genre)) { missing.push(genre); continue; }
  await resolveModel(genre);
  loaded.push(genre);
}
if (loaded.length === 0) {
  console.error(`no shipped genre models in ${MODELS_DIR} yet (looked for ${missing.join(', ')}); train one with mixtape train`);
  process.exit(1);
}
const afterModels = memoryNow();
const fontLoadMs = await getRenderer().ready();
const afterRenderer = memoryNow();
const { composeTrack } = await import('../studio/index.ts');
const composeMs: Record<string, number> = {};
for (const genre of loaded) {
  const t0 = performance.now();
  await composeTrack({ genre, bars, seed: 1, formats });
  composeMs[genre] = performance.now() - t0;
}
const end = memoryNow();
await closeRenderers();
console.log(JSON.stringify({
  backend, loaded, missing, bars, formats, fontLoadMs, composeMs,
  startRssMiB: start.rssMiB, modelsRssMiB: afterModels.rssMiB, rendererRssMiB: afterRenderer.rssMiB,
  rssMiB: end.rssMiB, peakRssMiB: end.peakRssMiB,
}));
