/**
 * A database that hangs (the connection stays open, nothing comes back) or refuses: members
 * are answered within seconds, nothing is half-written, and the bot recovers when it returns.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startHarness, ephemeralAnswer, trackPosted, trackIdOf, type Harness } from './harness.ts';

/** A TCP proxy to PostgreSQL that can hang (hold every byte) or refuse (drop every connection). */
async function flakyProxy() {
  let mode: 'pass' | 'hang' | 'refuse' = 'pass';
  const pairs = new Set<[net.Socket, net.Socket]>();
  const server = net.createServer((client) => {
    if (mode === 'refuse') return client.destroy();
    const upstream = net.connect(5432, '127.0.0.1');
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    for (const s of pair) {
      s.on('error', () => undefined);
      s.on('close', () => { pairs.delete(pair); client.destroy(); upstream.destroy(); });
    }
    client.pipe(upstream).pipe(client);
    if (mode === 'hang') { client.pause(); upstream.pause(); }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    set(next: 'pass' | 'hang' | 'refuse') {
      mode = next;
      for (const [c, u] of pairs) {
        if (next === 'hang') { c.pause(); u.pause(); }
        else if (next === 'refuse') { c.destroy(); u.destroy(); }
        else { c.resume(); u.resume(); }
      }
    },
    close: () => new Promise<void>((r) => { for (const [c, u] of pairs) { c.destroy(); u.destroy(); } server.close(() => r()); }),
  };
}

let h: Harness;
let proxy: Awaited<ReturnType<typeof flakyProxy>>;
before(async () => {
  proxy = await flakyProxy();
  h = await startHarness({ database: 'postgres', pgHost: `127.0.0.1:${proxy.port}`, storeTimeoutMs: 3000 });
});
after(async () => { proxy?.set('pass'); await h?.stop(); await proxy?.close(); });

for (const outage of ['hang', 'refuse'] as const) {
  test(`a database that ${outage === 'hang' ? 'hangs' : 'refuses connections'}: answers within 10 s, nothing half-written, recovery`, async () => {
    const m = await trackPosted(h.fake, h.fake.slash(h.users.alice, 'compose', { genre: 'pop', bars: 1 }));
    const id = trackIdOf(m);
    const before = await h.store.userProfile(h.users.alice.id);
    proxy.set(outage);
    const started = Date.now();
    const compose = h.fake.slash(h.users.alice, 'compose', { genre: 'pop', bars: 1 });
    const vote = h.fake.click(h.users.bob, m.id, `mt:up:${id}`);
    const top = h.fake.slash(h.users.carol, 'mixtape top', {});
    for (const it of [compose, vote, top]) {
      assert.match(await ephemeralAnswer(h.fake, it, 12000), /database is unavailable/);
      assert.ok(Date.now() - started < 10000, `answered after ${Date.now() - started} ms`);
    }
    assert.ok(h.fake.firstResponseMs(compose)! < 3000, 'the composition was refused before any work, within 3 s');
    proxy.set('pass');
    // Recovery: the next commands work again (the pool replaces what the outage broke).
    const again = await (async () => {
      for (let k = 0; k < 10; k++) {
        const it = h.fake.slash(h.users.alice, 'compose', { genre: 'pop', bars: 1 });
        const done = await h.fake.waitFor(() => h.fake.ephemeral(it) ?? (h.fake.original(it)?.attachments.length ? 'posted' : undefined), 15000, 'an answer');
        if (done === 'posted') return it;
        await new Promise((r) => setTimeout(r, 500));
      }
      throw new Error('the bot did not recover');
    })();
    await trackPosted(h.fake, again);
    const after = await h.store.userProfile(h.users.alice.id);
    assert.equal(after.tracks, before.tracks + 1, 'the refused composition wrote nothing; the new one did');
    assert.deepEqual(await h.store.trackScore(id), { up: 0, down: 0, score: 0 }, 'the vote during the outage did not land');
  });
}
