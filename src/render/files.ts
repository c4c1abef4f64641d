/** Writing outputs to disk without ever leaving a partial file behind. */
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Writes to a hidden temp name in the same folder, then renames (atomic on one filesystem). @example await writeFileAtomic('out/a.ogg', bytes) */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Writes several files; if any write fails, removes the ones already written. */
export async function writeAllOrNothing(files: { path: string; bytes: Uint8Array }[]): Promise<void> {
  const done: string[] = [];
  try {
    for (const f of files) {
      await writeFileAtomic(f.path, f.bytes);
      done.push(f.path);
    }
  } catch (e) {
    await Promise.all(done.map((p) => rm(p, { force: true })));
    throw e;
  }
}
