/** Progress shown by editing a deferred reply (throttled and serialized), and the job events' texts. */
import type { RepliableInteraction } from 'discord.js';
import type { ThrottledProgress } from '../delivery/throttle.ts';
import { throttledProgress } from '../delivery/throttle.ts';
import type { JobEvent, JobQueue } from '../queue/types.ts';

export type ProgressReply = ThrottledProgress;

/** A throttled, serialized progress display on the interaction's reply. */
export function progressReply(i: RepliableInteraction, minGapMs: number): ProgressReply {
  return throttledProgress((text) => i.editReply({ content: text }).catch(() => undefined), minGapMs);
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
