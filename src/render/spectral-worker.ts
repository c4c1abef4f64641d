/** Runs one spectral effect off the caller's thread (the bot's event loop also sends voice). */
import { parentPort } from 'node:worker_threads';
import { applySpectral, type SpectralEffect, type SpectralOptions } from './spectral.ts';

parentPort?.on('message', (m: { pcm: Int16Array; effect: SpectralEffect; options: SpectralOptions }) => {
  try {
    const pcm = applySpectral(m.pcm, m.effect, m.options);
    parentPort!.postMessage({ pcm }, [pcm.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort!.postMessage({ error: (e as Error).message, code: (e as { code?: string }).code });
  }
});
