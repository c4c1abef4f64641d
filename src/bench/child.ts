/**
 * Runs a bench script in a fresh Node process so that its peak memory is its own, and reads
 * the one JSON object it prints as its last stdout line.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Path of a script in this folder. @example childScript('train-child.ts') */
export const childScript = (name: string): string => fileURLToPath(new URL(`./${name}`, import.meta.url));

/**
 * Runs `node script ...args` (the same Node binary as this process) and resolves with the JSON
 * its last stdout line holds; rejects with the tail of stderr when it fails or runs past `timeoutMs`.
 * @example await runChild(childScript('train-child.ts'), ['--seconds', '5'])
 */
export function runChild<T>(script: string, args: string[] = [], timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'error' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { err = (err + c.toString()).slice(-2000); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) {
        const why = signal === 'SIGKILL' ? `timed out after ${Math.round(timeoutMs / 1000)} s` : `exited ${code ?? signal}`;
        reject(new Error(`${script.split(/[\\/]/).pop()} ${why}: ${lastLine(err)}`));
        return;
      }
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${script.split(/[\\/]/).pop()} printed no JSON result (stderr: ${lastLine(err)})`));
      }
    });
  });
}

/** Last meaningful stderr line (skips js-synthesizer's harmless stub notice). */
function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.includes('is a stub'));
  return lines.slice(-3).join(' | ') || '(no output)';
}
