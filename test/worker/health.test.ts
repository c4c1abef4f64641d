import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHealthServer } from '../../src/worker/health.ts';
import { Metrics, quantile } from '../../src/worker/metrics.ts';

test('/healthz says 200 when every check passes and 503 naming the failing one; /metrics is Prometheus text', async () => {
  const metrics = new Metrics();
  metrics.inc('mixtape_jobs_total', { kind: 'compose', outcome: 'answered' });
  metrics.inc('mixtape_jobs_total', { kind: 'compose', outcome: 'answered' });
  for (const s of [1, 2, 3, 4]) metrics.observe('mixtape_job_seconds', s, { kind: 'compose' });
  metrics.gauge('mixtape_queue_jobs', () => ({ waiting: 5, active: 2 }));
  let redisUp = true;
  const server = await startHealthServer({
    port: 0, host: '127.0.0.1', role: 'worker', metrics,
    checks: { database: async () => undefined, redis: async () => { if (!redisUp) throw new Error('connection refused'); } },
  });
  try {
    const url = `http://127.0.0.1:${server.port}`;
    const ok = await fetch(`${url}/healthz`);
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { role: string }).role, 'worker');
    redisUp = false;
    const bad = await fetch(`${url}/healthz`);
    assert.equal(bad.status, 503);
    assert.deepEqual(((await bad.json()) as { failed: unknown }).failed, { redis: 'connection refused' });
    const text = await (await fetch(`${url}/metrics`)).text();
    assert.match(text, /^mixtape_jobs_total\{kind="compose",outcome="answered"\} 2$/m);
    assert.match(text, /^mixtape_job_seconds\{kind="compose",quantile="0.5"\} 2$/m);
    assert.match(text, /^mixtape_job_seconds_count\{kind="compose"\} 4$/m);
    assert.match(text, /^mixtape_queue_jobs\{state="waiting"\} 5$/m);
  } finally {
    await server.close();
  }
  assert.equal(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95), 10);
});
