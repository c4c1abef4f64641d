/** A one-line progress bar on stderr (a line per update when stderr is not a terminal). */
export interface ProgressBar {
  update(fraction: number, text: string): void;
  done(text?: string): void;
}

const formatEta = (s: number) => (Number.isFinite(s) ? (s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`) : '?');

/** Creates a bar; `quiet` prints nothing. @example const bar = progressBar(); bar.update(0.5, 'epoch 1') */
export function progressBar(quiet = false, width = 24): ProgressBar {
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  return {
    update(fraction, text) {
      if (quiet) return;
      const f = Math.max(0, Math.min(1, fraction));
      const filled = Math.round(f * width);
      const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(f * 100).toFixed(0).padStart(3)}% ${text}`;
      if (tty) process.stderr.write(`\r${line.slice(0, (process.stderr.columns ?? 120) - 1).padEnd(Math.min(lastLine, (process.stderr.columns ?? 120) - 1))}`);
      else process.stderr.write(`${line}\n`);
      lastLine = line.length;
    },
    done(text) {
      if (quiet) return;
      if (tty) process.stderr.write('\n');
      if (text) process.stderr.write(`${text}\n`);
    },
  };
}

export { formatEta };
