/** Worker body: unpacks one zip (see unzip.ts), transferring the files' bytes back. */
import { parentPort, workerData } from 'node:worker_threads';
import { serveIsolated } from './isolate.ts';
import { unzipMidiFiles, type UnzipLimits, type UnzippedFile } from './unzip.ts';

const { zip, limits } = workerData as { zip: Uint8Array; limits: UnzipLimits };
await serveIsolated(parentPort!, { zip, limits }, (i) => unzipMidiFiles(i.zip, i.limits), (files: UnzippedFile[]) => {
  // Each file's bytes, once (a file may be a view on a shared buffer only when it came in one chunk).
  const buffers = new Set(files.map((f) => f.bytes.buffer as ArrayBuffer));
  return buffers.size === files.length ? [...buffers] : [];
});
