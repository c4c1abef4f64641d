import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { zipSync } from 'fflate';
import { startHarness, trackPosted, ephemeralAnswer, replyText, type Harness } from './harness.ts';
import { makeMidi, type TestStudio } from './test-studio.ts';

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h?.stop(); });

const midiFile = (name: string, bars = 2) => ({ attachment: h.fake.attachment(name, makeMidi(bars), 'audio/midi') });

test('/train on a few files makes a model that /compose model: uses', async () => {
  const it = h.fake.slash(h.users.alice, 'train', { name: 'my-style', genre: 'jazz', file1: midiFile('a.mid'), file2: midiFile('b.mid'), file3: midiFile('c.mid') });
  const text = await replyText(h.fake, it, (t) => t.includes('is ready'), 10000);
  assert.match(text, /Model \*\*my-style\*\* is ready \(trained on 3 files, from jazz\)/);
  assert.ok(it.responses.some((r) => r.kind === 'edit' && /Training \*\*my-style\*\*/.test(r.body?.content ?? '')), 'progress was shown');
  const studio = h.studio as TestStudio;
  assert.equal(studio.trainCalls.at(-1)!.files.length, 3);
  const models = await h.store.listModels(h.users.alice.id);
  assert.deepEqual(models.map((m) => m.name), ['my-style']);
  const msg = await trackPosted(h.fake, h.fake.slash(h.users.alice, 'compose', { genre: 'jazz', bars: 2, model: 'my-style' }));
  assert.match(msg.embeds[0].description, /model \*\*my-style\*\*/);
  assert.equal(studio.composeCalls.at(-1)!.model?.name, 'my-style');
  // Bob cannot use Alice's private model, until she shares it.
  const denied = h.fake.slash(h.users.bob, 'compose', { genre: 'jazz', bars: 2, model: 'my-style' });
  assert.match(await ephemeralAnswer(h.fake, denied), /no model named "my-style"/);
  assert.match(await ephemeralAnswer(h.fake, h.fake.slash(h.users.alice, 'models share', { name: 'my-style' })), /now shared/);
  await trackPosted(h.fake, h.fake.slash(h.users.bob, 'compose', { genre: 'jazz', bars: 2, model: 'my-style' }));
});

test('/train accepts one .zip of MIDI files', async () => {
  const zip = zipSync({ 'songs/one.mid': makeMidi(2), 'songs/two.mid': makeMidi(3), 'readme.txt': new TextEncoder().encode('hi') });
  const it = h.fake.slash(h.users.bob, 'train', { name: 'zipped', file1: { attachment: h.fake.attachment('songs.zip', zip, 'application/zip') } });
  const text = await replyText(h.fake, it, (t) => t.includes('is ready'), 10000);
  assert.match(text, /trained on 2 files, from classical/);
});

test('/train refuses bad uploads', async () => {
  const txt = { attachment: h.fake.attachment('notes.txt', new TextEncoder().encode('x'), 'text/plain') };
  assert.match(await ephemeralAnswer(h.fake, h.fake.slash(h.users.carol, 'train', { name: 'x', file1: txt })), /not a MIDI file/);
  const zipAndMidi = h.fake.slash(h.users.carol, 'train', { name: 'x', file1: { attachment: h.fake.attachment('a.zip', zipSync({ 'a.mid': makeMidi(1) })) }, file2: midiFile('b.mid') });
  assert.match(await ephemeralAnswer(h.fake, zipAndMidi), /not both/);
  const empty = h.fake.slash(h.users.carol, 'train', { name: 'x', file1: { attachment: h.fake.attachment('e.zip', zipSync({ 'a.txt': new Uint8Array(3) })) } });
  assert.match(await ephemeralAnswer(h.fake, empty), /no MIDI files/);
  // A zip that unpacks far beyond the limits (a zip bomb) is refused.
  const bomb = zipSync({ 'big.mid': new Uint8Array(40 * 1024 * 1024) });
  assert.ok(bomb.length < 200 * 1024);
  const boom = h.fake.slash(h.users.carol, 'train', { name: 'x', file1: { attachment: h.fake.attachment('bomb.zip', bomb) } });
  assert.match(await ephemeralAnswer(h.fake, boom), /unpacks to more than|over 1 MB/);
  const dup = h.fake.slash(h.users.alice, 'train', { name: 'my-style', file1: midiFile('d.mid') });
  assert.match(await ephemeralAnswer(h.fake, dup), /already have a model named "my-style"/);
});

test('/models list, rename and delete', async () => {
  const list = await ephemeralAnswer(h.fake, h.fake.slash(h.users.alice, 'models list', {}));
  assert.match(list, /\*\*my-style\*\* · jazz/);
  assert.match(await ephemeralAnswer(h.fake, h.fake.slash(h.users.alice, 'models rename', { name: 'my-style', new_name: 'blue' })), /Renamed \*\*my-style\*\* to \*\*blue\*\*/);
  assert.match(await ephemeralAnswer(h.fake, h.fake.slash(h.users.bob, 'models delete', { name: 'blue' })), /no model named "blue"/);
  assert.match(await ephemeralAnswer(h.fake, h.fake.slash(h.users.alice, 'models delete', { name: 'blue' })), /Deleted \*\*blue\*\*/);
  assert.equal((await h.store.listModels(h.users.alice.id)).length, 0);
  const ac = h.fake.autocomplete(h.users.bob, 'compose', { genre: 'jazz', bars: 2, model: 'zi' }, 'model');
  await h.fake.waitFor(() => ac.responses.length, 5000, 'autocomplete');
  assert.deepEqual(ac.responses[0].body.data.choices.map((c: any) => c.value), ['zipped']);
});
