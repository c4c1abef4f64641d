/**
 * Pinning every thread of this process to some CPUs (Linux, through util-linux's `taskset`),
 * for the data-parallel benchmark: "one core" must be one core, but an unpinned single-thread
 * run lets V8's GC and compiler threads borrow the idle second core (measured here: the process
 * used 1.03-1.09 cores while its training thread used one), which flatters the baseline.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The CPUs this process may run on, from /proc (undefined off Linux). @example allowedCpus() // [0, 1] */
export function allowedCpus(): number[] | undefined {
  try {
    const line = /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (!line) return undefined;
    const cpus = line.split(',').flatMap((part) => {
      const [a, b = a] = part.split('-').map(Number);
      return Array.from({ length: b - a + 1 }, (_, i) => a + i);
    });
    return cpus.length && cpus.every(Number.isInteger) ? cpus : undefined;
  } catch {
    return undefined;
  }
}

/** Pins all threads of this process (those that exist now; new ones inherit) to `cpus`; false where that is not possible. */
export function pinProcess(cpus: number[]): boolean {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cpus.join(','), String(process.pid)], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}
