/**
 * Running a job payload: the handler for its kind, progress on the member's reply, and a
 * short answer only the member sees when it fails. Used by every queue (in-process, BullMQ).
 */
import { isMixtapeError } from '../engine/errors.ts';
import { userMessage } from '../bot/replies.ts';
import { jobEventText } from '../bot/progress.ts';
import { restProgress } from '../delivery/rest.ts';
import type { JobPayload } from './payload.ts';
import type { JobRun, JobRuntime } from './runtime.ts';
import { runCompose } from './compose.ts';
import { runRemix } from './remix.ts';
import { runTrain } from './train.ts';

export type * from './payload.ts';
export type * from './runtime.ts';
export { parsePayload, INTERACTION_TOKEN_MS } from './payload.ts';

export type JobOutcome = 'answered' | 'already-answered' | 'failed';

/** A run whose progress edits the member's reply and is also passed on to `report`. */
export function jobRun(id: string, p: JobPayload, rt: JobRuntime, report?: (fraction: number, detail?: string) => void): JobRun {
  const progress = restProgress(rt.delivery, p.reply, rt.limits.progressEditMs);
  return {
    id,
    progress,
    reportProgress(fraction, detail) {
      const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
      const text = jobEventText({ type: 'progress', id, fraction: f, ...(detail === undefined ? {} : { detail }) }, p.verb);
      if (text) progress.show(text);
      report?.(f, detail);
    },
  };
}

/**
 * Runs a job to its answer. A member's mistake or an unexpected failure is answered (and the
 * job counts as done: running it again would fail the same way); only a failed delivery of
 * that answer throws, so the queue may try again.
 */
export async function runJob(p: JobPayload, rt: JobRuntime, run: JobRun): Promise<JobOutcome> {
  const started = Date.now();
  const kind = p.kind;
  try {
    const outcome = p.kind === 'remix' ? await runRemix(p, rt, run) : p.kind === 'train' ? await runTrain(p, rt, run) : await runCompose(p, rt, run);
    rt.metrics?.observe('mixtape_job_seconds', (Date.now() - started) / 1000, { kind });
    rt.metrics?.observe('mixtape_time_to_result_seconds', (Date.now() - p.queuedAt) / 1000, { kind });
    rt.metrics?.inc('mixtape_jobs_total', { kind, outcome });
    return outcome;
  } catch (e) {
    // A database or network outage may pass: let the queue run the job again (it is idempotent).
    if (isMixtapeError(e) && e.code === 'UNAVAILABLE' && (run.retriesLeft ?? 0) > 0) {
      rt.log.warn({ err: e.message, jobId: run.id, kind, retriesLeft: run.retriesLeft }, 'job will run again');
      rt.metrics?.inc('mixtape_jobs_total', { kind, outcome: 'retried' });
      await run.progress.finish();
      throw e;
    }
    await run.progress.finish();
    if (!isMixtapeError(e) || e.code === 'UNAVAILABLE') rt.log.error({ err: e, jobId: run.id, kind }, 'job failed');
    rt.metrics?.inc('mixtape_jobs_total', { kind, outcome: 'failed' });
    await rt.delivery.error(p.reply, userMessage(e));
    return 'failed';
  }
}
