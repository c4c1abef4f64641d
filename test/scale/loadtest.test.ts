import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLoadtest, resultLines, type LoadtestOptions } from '../../src/loadtest/run.ts';

// A bounded version of `mixtape loadtest`: real gateway and worker processes, Redis and
// PostgreSQL, the fake Discord; the workers compose with the fast test studio.
const base: LoadtestOptions = {
  members: 12, perMember: 2, bars: 4, workers: 2, workerConcurrency: 2, spreadMs: 1000, timeoutMs: 40_000,
  redisUrl: 'redis://127.0.0.1:6379', postgresUrl: 'postgresql://postgres@127.0.0.1:5432/test',
  workerScript: 'test/scale/worker-child.ts', env: { TEST_COMPOSE_MS: '400' }, lockMs: 2000, stalledMs: 1000,
};

const check = (name: string, r: Awaited<ReturnType<typeof runLoadtest>>) => {
  console.log(resultLines(name, r).join('\n'));
  assert.equal(r.ackedIn3s, r.sent, 'every request acknowledged within 3 s');
  assert.equal(r.lost, 0, 'nothing lost');
  assert.equal(r.duplicated, 0, 'nothing answered twice');
  assert.equal(r.tracks + r.refused, r.sent);
  assert.equal(r.trackRows, r.tracks, 'one track row per answered track');
};

test('1 gateway + 3 workers: every /compose acknowledged and answered once, with a worker SIGKILLed, one SIGTERMed and the gateway restarted mid-run', { timeout: 100_000 }, async () => {
  const r = await runLoadtest({ ...base, workers: 3, killWorkerAtMs: 1500, termWorkerAtMs: 1800, restartGatewayAtMs: 1200 });
  check('kill-worker + restart-gateway', r);
  assert.ok(r.events.some((e) => e.includes('SIGKILL')));
  assert.ok(r.events.some((e) => e.includes('gateway restarted')));
  assert.ok(r.events.some((e) => /SIGTERM worker3: it finished its jobs and exited with code 0/.test(e)), r.events.join('\n'));
});
