import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MixtapeError } from '../../src/engine/errors.ts';
import { createMemoryQueue, createQueue } from '../../src/queue/index.ts';
import type { JobEvent } from '../../src/queue/index.ts';

/** A job the test finishes by hand. */
function gate<T = string>() {
  let open!: (v: T) => void;
  let fail!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    open = res;
    fail = rej;
  });
  return { promise, open, fail };
}

const tick = () => new Promise((r) => setImmediate(r));
const isLimit = (pattern: RegExp) => (e: unknown) => e instanceof MixtapeError && e.code === 'LIMIT' && pattern.test(e.message);

test('per-user and total limits say what to do', async () => {
  const queue = createMemoryQueue({ concurrency: 1, maxQueue: 3, maxPerUser: 2 });
  const g = gate();
  const jobs = [
    queue.submit({ userId: 'a', kind: 'compose', run: () => g.promise }),
    queue.submit({ userId: 'a', kind: 'compose', run: () => g.promise }),
  ];
  assert.throws(() => queue.submit({ userId: 'a', kind: 'compose', run: () => g.promise }), isLimit(/you already have 2 pieces in the queue — wait for one to finish/));
  assert.equal(queue.userJobs('a'), 2);
  jobs.push(queue.submit({ userId: 'b', kind: 'compose', run: () => g.promise }));
  assert.throws(() => queue.submit({ userId: 'c', kind: 'compose', run: () => g.promise }), isLimit(/the queue is full \(3 jobs\) — try again in a minute/));
  // A guild override of the per-user limit.
  assert.throws(() => queue.submit({ userId: 'b', kind: 'compose', maxPerUser: 1, run: () => g.promise }), isLimit(/1 piece in/));
  g.open('x');
  await Promise.all(jobs.map((j) => j.promise));
  assert.equal(queue.stats().completed, 3);
  assert.equal(queue.userJobs('a'), 0);
  queue.submit({ userId: 'c', kind: 'compose', run: async () => 'room again' });
  await queue.close();
});

test('positions are told at submit and updated as jobs finish', async () => {
  const queue = createMemoryQueue({ concurrency: 1, maxQueue: 10, maxPerUser: 5 });
  const gates = [gate(), gate(), gate()];
  const jobs = gates.map((g, i) => queue.submit({ userId: `u${i}`, kind: 'compose', run: async () => g.promise }));
  assert.deepEqual(jobs.map((j) => j.position), [0, 1, 2]);
  const seen: JobEvent[] = [];
  queue.onEvent(jobs[2]!.id, (e) => seen.push(e));
  await tick();
  gates[0]!.open('first');
  assert.equal(await jobs[0]!.promise, 'first');
  await tick();
  assert.equal(queue.position(jobs[1]!.id), 0);
  assert.equal(queue.position(jobs[2]!.id), 1);
  assert.deepEqual(seen, [{ type: 'position', id: jobs[2]!.id, position: 1 }]);
  gates[1]!.open('second');
  gates[2]!.open('third');
  assert.deepEqual(await Promise.all(jobs.map((j) => j.promise)), ['first', 'second', 'third']);
  assert.deepEqual(seen.map((e) => e.type), ['position', 'started', 'done']);
  assert.equal(queue.position(jobs[2]!.id), -1);
  await queue.close();
});

test('progress reaches listeners, clamped; submit returns before the job runs', async () => {
  const queue = createMemoryQueue();
  const events: JobEvent[] = [];
  let ran = false;
  const job = queue.submit({
    userId: 'a',
    kind: 'train',
    onEvent: (e) => events.push(e),
    run: async (ctx) => {
      ran = true;
      ctx.reportProgress(0.25, 'epoch 1/4');
      ctx.reportProgress(7);
      return 42;
    },
  });
  assert.equal(ran, false, 'runs on a later turn of the event loop');
  assert.equal(await job.promise, 42);
  assert.deepEqual(events, [
    { type: 'started', id: job.id },
    { type: 'progress', id: job.id, fraction: 0.25, detail: 'epoch 1/4' },
    { type: 'progress', id: job.id, fraction: 1 },
    { type: 'done', id: job.id },
  ]);
  await queue.close();
});

test('a failing job (or a throwing listener) does not stop the queue', async () => {
  const queue = createMemoryQueue({ concurrency: 1, maxPerUser: 5 });
  const all: JobEvent[] = [];
  queue.onAnyEvent((e) => all.push(e));
  queue.onAnyEvent(() => {
    throw new Error('listener bug');
  });
  const bad = queue.submit({ userId: 'a', kind: 'compose', run: async () => { throw new MixtapeError('NO_NOTES', 'no notes'); } });
  const sync = queue.submit({ userId: 'a', kind: 'compose', run: () => { throw new Error('sync throw'); } });
  const good = queue.submit({ userId: 'a', kind: 'compose', run: async () => 'ok' });
  await assert.rejects(bad.promise, (e: unknown) => e instanceof MixtapeError && e.code === 'NO_NOTES');
  await assert.rejects(sync.promise, /sync throw/);
  assert.equal(await good.promise, 'ok');
  assert.ok(all.some((e) => e.type === 'failed' && e.id === bad.id && e.error === 'no notes'));
  assert.deepEqual(queue.stats(), { running: 0, waiting: 0, completed: 1, failed: 2, concurrency: 1, maxQueue: 20, maxPerUser: 5 });
  await queue.close();
});

test('an unawaited failing job is not an unhandled rejection', async () => {
  const queue = createMemoryQueue();
  let unhandled = false;
  const onUnhandled = () => { unhandled = true; };
  process.on('unhandledRejection', onUnhandled);
  queue.submit({ userId: 'a', kind: 'compose', run: async () => { throw new Error('ignored'); } });
  await queue.close();
  await tick();
  process.off('unhandledRejection', onUnhandled);
  assert.equal(unhandled, false);
});

test('concurrency runs that many at once, in order', async () => {
  const queue = createQueue({ concurrency: 2, maxQueue: 10, maxJobsPerUser: 10 });
  let active = 0;
  let peak = 0;
  const order: number[] = [];
  const jobs = Array.from({ length: 6 }, (_, i) =>
    queue.submit({
      userId: 'a',
      kind: 'compose',
      run: async () => {
        active += 1;
        peak = Math.max(peak, active);
        order.push(i);
        await tick();
        active -= 1;
        return i;
      },
    }),
  );
  assert.deepEqual(jobs.map((j) => j.position), [0, 0, 1, 2, 3, 4]);
  assert.deepEqual(await Promise.all(jobs.map((j) => j.promise)), [0, 1, 2, 3, 4, 5]);
  assert.equal(peak, 2);
  assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
  await queue.close();
});

test('close fails waiting jobs, lets running ones finish, and refuses new ones', async () => {
  const queue = createMemoryQueue({ concurrency: 1, maxPerUser: 5 });
  const g = gate();
  const running = queue.submit({ userId: 'a', kind: 'compose', run: () => g.promise });
  const waiting = queue.submit({ userId: 'a', kind: 'compose', run: async () => 'never' });
  await tick();
  const closing = queue.close();
  await assert.rejects(waiting.promise, (e: unknown) => e instanceof MixtapeError && e.code === 'UNAVAILABLE');
  g.open('finished');
  await closing;
  assert.equal(await running.promise, 'finished');
  assert.throws(() => queue.submit({ userId: 'b', kind: 'compose', run: async () => 1 }), (e: unknown) => e instanceof MixtapeError && e.code === 'UNAVAILABLE');
});
