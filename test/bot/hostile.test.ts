/**
 * Hostile uploads through the fake Discord: while a lying archive or a crafted MIDI file is
 * refused, other members' commands are still acknowledged within Discord's 3 s.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, ephemeralAnswer, trackPosted, type Harness } from './harness.ts';
import { createTestStudio } from './test-studio.ts';
import { lyingZip, craftedMidi } from '../fuzz/hostile-files.ts';

let h: Harness;
before(async () => { h = await startHarness({ studio: createTestStudio({ composeMs: 300 }) }); });
after(async () => { await h?.stop(); });

test('a lying 7.5 MB archive is refused while other members are still answered within 3 s', async () => {
  const zip = lyingZip();
  assert.ok(zip.length > 7 * 1024 * 1024 && zip.length < 8 * 1024 * 1024, `${zip.length} bytes`);
  const started = Date.now();
  const train = h.fake.slash(h.users.alice, 'train', { name: 'bomb', file1: { attachment: h.fake.attachment('songs.zip', zip, 'application/zip') } });
  // Others keep composing meanwhile.
  const others = [];
  for (let k = 0; k < 4; k++) {
    await new Promise((r) => setTimeout(r, 150));
    others.push(h.fake.slash(h.users[k % 2 ? 'bob' : 'carol'], 'compose', { genre: 'pop', bars: 1, seed: 100 + k }));
  }
  const refusal = await ephemeralAnswer(h.fake, train, 20000);
  assert.match(refusal, /unpacks to more than 32 MB|over 1 MB/);
  const ms = Date.now() - started;
  for (const it of others) {
    await h.fake.waitFor(() => it.responses.length > 0, 5000, 'acknowledged');
    assert.ok(h.fake.firstResponseMs(it)! < 3000, `acknowledged after ${h.fake.firstResponseMs(it)} ms`);
  }
  for (const it of others) await trackPosted(h.fake, it);
  assert.ok(ms < 15000, `refused after ${ms} ms`);
  assert.equal((await h.store.listModels(h.users.alice.id)).length, 0, 'nothing saved');
});

test('a crafted MIDI file is answered within 2 s (what is readable of it is continued); others keep composing', async () => {
  const bytes = craftedMidi();
  assert.ok(bytes.length < 2048);
  const started = Date.now();
  const cont = h.fake.slash(h.users.alice, 'continue', { file: { attachment: h.fake.attachment('crafted.mid', bytes, 'audio/midi') }, bars: 4 });
  const other = h.fake.slash(h.users.bob, 'compose', { genre: 'jazz', bars: 1, seed: 5 });
  // The 0xFF runs, the giant meta length and the lying chunk length end their tracks; the notes before them are read.
  const posted = await trackPosted(h.fake, cont, 5000);
  assert.ok(Date.now() - started < 2000, `answered after ${Date.now() - started} ms`);
  assert.equal(posted.embeds[0].fields.find((f: any) => f.name === 'Bars').value, '5', '1 primer bar + 4 new');
  await trackPosted(h.fake, other);
  assert.ok(h.fake.firstResponseMs(other)! < 3000);
  // Garbage after a MIDI header is refused with a clear message.
  const junk = new Uint8Array([...bytes.subarray(0, 14), ...new Array(1500).fill(0xff)]);
  const refused = h.fake.slash(h.users.alice, 'continue', { file: { attachment: h.fake.attachment('junk.mid', junk, 'audio/midi') } });
  assert.match(await ephemeralAnswer(h.fake, refused, 5000), /not a MIDI file|MIDI file has no (tracks|notes)/);
});
