/**
 * Progress shown by editing one message: edits are serialized (an old edit never lands after
 * a newer one) and throttled (Discord rate-limits edits), and stop once the final answer is sent.
 * The bot edits through its interaction, a worker over REST: both send through this.
 */

export interface ThrottledProgress {
  /** Shows `text` soon (the latest text wins when edits come fast). */
  show(text: string): void;
  /** Waits for pending edits, then stops all further progress edits. */
  finish(): Promise<void>;
}

/**
 * A throttled, serialized progress display that sends each text with `send`.
 * @example const p = throttledProgress((t) => message.edit(t), 1500); p.show('50 %'); await p.finish();
 */
export function throttledProgress(send: (text: string) => Promise<unknown>, minGapMs: number): ThrottledProgress {
  let pending: string | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  let last = 0;
  let timer: NodeJS.Timeout | null = null;
  let done = false;
  const flush = () => {
    timer = null;
    if (done || pending === null) return;
    const text = pending;
    pending = null;
    last = Date.now();
    chain = chain.then(() => (done ? undefined : send(text)));
  };
  return {
    show(text) {
      if (done) return;
      pending = text;
      if (timer) return;
      timer = setTimeout(flush, Math.max(0, last + minGapMs - Date.now()));
    },
    async finish() {
      done = true;
      if (timer) clearTimeout(timer);
      await chain;
    },
  };
}
