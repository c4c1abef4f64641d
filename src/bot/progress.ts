/**
 * Progress shown by editing a deferred reply: edits are serialized (an old edit never lands
 * after a newer one) and throttled (Discord rate-limits edits), and stop once the final
 * answer is sent.
 */
import type { RepliableInteraction } from 'discord.js';
import type { JobEvent, JobQueue } from '../queue/types.ts';

export interface ProgressReply {
  /** Shows `text` soon (the latest text wins when edits come fast). */
  show(text: string): void;
  /** Waits for pending edits, then stops all further progress edits. */
  finish(): Promise<void>;
}

/** A throttled, serialized progress display on the interaction's reply. */
export function progressReply(i: RepliableInteraction, minGapMs: number): ProgressReply {
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
    chain = chain.then(() => (done ? undefined : i.editReply({ content: text }).catch(() => undefined)));
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

/** A progress bar. @example bar(0.5, 10) // '▰▰▰▰▰▱▱▱▱▱' */
export function bar(fraction: number, width = 12): string {
  const n = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return '▰'.repeat(n) + '▱'.repeat(width - n);
}

/** The line for a job event, or null when it changes nothing. */
export function jobEventText(e: JobEvent, what: string): string | null {
  switch (e.type) {
    case 'position':
      return e.position > 0 ? `⏳ Waiting in the queue: position **${e.position}**.` : null;
    case 'started':
      return `🎼 ${what}…`;
    case 'progress':
      return `🎼 ${what}… ${bar(e.fraction)} ${Math.round(e.fraction * 100)}%${e.detail ? ` · ${e.detail}` : ''}`;
    default:
      return null;
  }
}

/** Mirrors a job's queue position and progress on the reply; returns the unsubscribe function. */
export function followJob(queue: JobQueue, jobId: string, reply: ProgressReply, what: string): () => void {
  return queue.onEvent(jobId, (e) => {
    const text = jobEventText(e, what);
    if (text) reply.show(text);
  });
}
