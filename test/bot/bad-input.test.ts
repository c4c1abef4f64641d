import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, trackPosted, trackIdOf, ephemeralAnswer, type Harness } from './harness.ts';
import { createTestStudio, makeMidi, FAILING_SEED } from './test-studio.ts';
import type { FakeInteraction } from '../fake-discord/server.ts';

let h: Harness;
before(async () => { h = await startHarness({ studio: createTestStudio({ composeMs: 300 }) }); });
after(async () => { await h?.stop(); });

/** The answer is ephemeral and nothing public is left behind. */
async function refused(it: FakeInteraction, pattern: RegExp): Promise<string> {
  const text = await ephemeralAnswer(h.fake, it);
  assert.match(text, pattern);
  const original = h.fake.original(it);
  assert.ok(!original || original.flags & 64, `no public message is left: ${JSON.stringify(it.responses.map((r) => [r.kind, r.type, r.body]))}`);
  return text;
}

test('a non-MIDI attachment is refused without downloading it', async () => {
  const file = h.fake.attachment('notes.txt', new TextEncoder().encode('hello'), 'text/plain');
  await refused(h.fake.slash(h.users.alice, 'continue', { file: { attachment: file } }), /not a MIDI file/);
  assert.equal(h.fake.downloads(file), 0);
});

test('a 50 MB attachment is refused by its size, before any download', async () => {
  const file = h.fake.attachment('huge.mid', makeMidi(1), 'audio/midi', 50 * 1024 * 1024);
  const it = h.fake.slash(h.users.alice, 'continue', { file: { attachment: file } });
  await refused(it, /50 MB; the limit is 1 MB/);
  assert.equal(h.fake.downloads(file), 0);
  assert.equal(it.responses[0].type, 4, 'answered directly, no defer');
});

test('corrupt MIDI files are refused', async () => {
  const noHeader = h.fake.attachment('broken.mid', new Uint8Array(64).fill(7), 'audio/midi');
  await refused(h.fake.slash(h.users.alice, 'continue', { file: { attachment: noHeader } }), /not a valid MIDI file/);
  assert.equal(h.fake.downloads(noHeader), 1);
  const bad = new Uint8Array(40);
  bad.set(new TextEncoder().encode('MThd'));
  bad.fill(0xff, 4);
  const garbled = h.fake.attachment('garbled.mid', bad, 'audio/midi');
  await refused(h.fake.slash(h.users.bob, 'continue', { file: { attachment: garbled } }), /not a (valid )?MIDI file/);
});

test('out-of-range and unknown options are refused', async () => {
  await refused(h.fake.slash(h.users.alice, 'compose', { genre: 'jazz', bars: 0 }), /Bars must be a whole number from 1 to 64/);
  await refused(h.fake.slash(h.users.alice, 'compose', { genre: 'jazz', bars: 65 }), /Bars must be/);
  await refused(h.fake.slash(h.users.alice, 'compose', { genre: 'jazz', bars: 4, temperature: 5 }), /Temperature must be a number from 0.1 to 2/);
  await refused(h.fake.slash(h.users.alice, 'compose', { genre: 'polka', bars: 4 }), /Unknown genre "polka". Choose one of: celtic/);
  await refused(h.fake.slash(h.users.alice, 'compose', { genre: 'jazz', bars: 4, instrument: 'kazoo' }), /Unknown instrument/);
  await refused(h.fake.slash(h.users.alice, 'compose', { genre: 'jazz', bars: 4, model: 'nope' }), /no model named "nope"/);
  await refused(h.fake.slash(h.users.alice, 'track info', { id: 'does-not-exist' }), /No track "does-not-exist"/);
});

test('spam: a third composition while two are queued gets a clear ephemeral message', async () => {
  const one = h.fake.slash(h.users.carol, 'compose', { genre: 'pop', bars: 2 });
  const two = h.fake.slash(h.users.carol, 'compose', { genre: 'pop', bars: 2 });
  const three = h.fake.slash(h.users.carol, 'compose', { genre: 'pop', bars: 2 });
  await refused(three, /You already have 2 pieces in the queue/);
  assert.equal(three.responses[0].type, 4, 'answered at once');
  await trackPosted(h.fake, one);
  await trackPosted(h.fake, two);
});

test('double clicks on a vote button count once', async () => {
  const m = await trackPosted(h.fake, h.fake.slash(h.users.alice, 'compose', { genre: 'jazz', bars: 2 }));
  const id = trackIdOf(m);
  const c1 = h.fake.click(h.users.bob, m.id, `mt:up:${id}`);
  const c2 = h.fake.click(h.users.bob, m.id, `mt:up:${id}`);
  await h.fake.waitFor(() => c1.responses.length && c2.responses.length, 5000, 'both clicks answered');
  assert.deepEqual(await h.store.trackScore(id), { up: 1, down: 0, score: 1 });
  assert.match(h.fake.messages.get(m.id)!.embeds[0].fields.find((f: any) => f.name === 'Score').value, /^\+1 /);
});

test('a lost database mid-command gets an ephemeral message, then the bot works again', async () => {
  h.outage.unavailable = true;
  await refused(h.fake.slash(h.users.bob, 'compose', { genre: 'jazz', bars: 2 }), /database is unavailable/);
  await refused(h.fake.slash(h.users.bob, 'mixtape top', {}), /database is unavailable/);
  const m = h.fake.messages.values().next().value!;
  await refused(h.fake.click(h.users.bob, m.id, 'mt:up:whatever'), /database is unavailable/);
  h.outage.unavailable = false;
  assert.ok(h.lines.some((l) => l.includes('UNAVAILABLE') || l.includes('unavailable')), 'the outage is logged');
  await trackPosted(h.fake, h.fake.slash(h.users.bob, 'compose', { genre: 'jazz', bars: 2 }));
});

test('an unexpected error gets a generic ephemeral message and a log line', async () => {
  const before = h.lines.length;
  await refused(h.fake.slash(h.users.alice, 'compose', { genre: 'jazz', bars: 2, seed: FAILING_SEED }), /Something went wrong/);
  assert.ok(h.lines.slice(before).some((l) => l.includes('synthetic studio failure')));
  await trackPosted(h.fake, h.fake.slash(h.users.alice, 'compose', { genre: 'jazz', bars: 2 }));
});
