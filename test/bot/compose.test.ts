import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import tonejs from '@tonejs/midi';
import { startHarness, until, trackPosted, trackIdOf, ephemeralAnswer, replyText, type Harness } from './harness.ts';
import { makeMidi, type TestStudio } from './test-studio.ts';

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h?.stop(); });

test('commands are registered in the dev guild at startup', () => {
  assert.equal(h.bot.registration, 'registered');
  const names = h.fake.commands.get(h.fake.guildId)!.map((c) => c.name).sort();
  assert.deepEqual(names, ['compose', 'continue', 'help', 'mixtape', 'models', 'nowplaying', 'play', 'profile', 'queue', 'radio', 'remix', 'settings', 'skip', 'stop', 'track', 'train']);
});

test('/compose defers at once, then edits the reply with the files, embed and buttons', async () => {
  const it = h.fake.slash(h.users.alice, 'compose', { genre: 'jazz', bars: 4, tempo: 100, seed: 42, instrument: 'Music Box' });
  const msg = await trackPosted(h.fake, it);
  assert.equal(it.responses[0].kind, 'callback');
  assert.equal(it.responses[0].type, 5, 'first answer is a defer');
  assert.ok(h.fake.firstResponseMs(it)! < 3000);
  const names = msg.attachments.map((a) => a.filename).sort();
  assert.ok(names.some((n) => n.endsWith('.ogg')) && names.some((n) => n.endsWith('.mid')) && names.includes('roll.png'), names.join());
  const embed = msg.embeds[0];
  assert.match(embed.title, /Jazz study 42/);
  assert.equal(embed.image.url, 'attachment://roll.png');
  const field = (n: string) => embed.fields.find((f: any) => f.name === n)?.value;
  assert.equal(field('Bars'), '4');
  assert.equal(field('Tempo'), '100 bpm');
  assert.equal(field('Seed'), '42');
  assert.equal(field('Author'), `<@${h.users.alice.id}>`);
  assert.match(embed.description, /music box/);
  const buttons = msg.components[0].components.map((b: any) => b.custom_id.split(':')[1]);
  assert.deepEqual(buttons, ['up', 'down', 'play', 'var', 'ext']);
  // The MIDI file on the message is a real MIDI file, and the track is stored with the message id.
  const midi = h.fake.served.get(new URL(msg.attachments.find((a) => a.filename.endsWith('.mid'))!.url).pathname)!.bytes;
  assert.ok(new tonejs.Midi(midi).tracks[0].notes.length > 0);
  const track = await until(async () => { const t = await h.store.getTrack(trackIdOf(msg)); return t?.messageId ? t : null; }, 5000, 'message id stored');
  assert.equal(track?.messageId, msg.id);
  assert.equal(track?.seed, 42);
  assert.equal(track?.instrument, 'music box');
});

test('/continue downloads the uploaded MIDI and continues it', async () => {
  const studio = h.studio as TestStudio;
  const file = h.fake.attachment('theme.mid', makeMidi(2), 'audio/midi');
  const it = h.fake.slash(h.users.bob, 'continue', { file: { attachment: file }, bars: 4, genre: 'celtic' });
  const msg = await trackPosted(h.fake, it);
  assert.equal(h.fake.downloads(file), 1);
  const req = studio.composeCalls.at(-1)!;
  assert.ok(req.primerMidi && req.primerMidi.length > 14, 'the primer reached the studio');
  assert.equal(req.bars, 4);
  assert.equal(msg.embeds[0].fields.find((f: any) => f.name === 'Bars').value, '6', '2 primer bars + 4 new');
});

test('votes by buttons change the score on the message and the leaderboard', async () => {
  const a = await trackPosted(h.fake, h.fake.slash(h.users.alice, 'compose', { genre: 'pop', bars: 2, seed: 7 }));
  const b = await trackPosted(h.fake, h.fake.slash(h.users.bob, 'compose', { genre: 'pop', bars: 2, seed: 8 }));
  const idA = trackIdOf(a);
  const idB = trackIdOf(b);
  const click = async (user: string, msgId: string, action: string, id: string) => {
    const it = h.fake.click(h.users[user], msgId, `mt:${action}:${id}`);
    await h.fake.waitFor(() => it.responses.length > 0, 5000, 'vote answer');
    return it;
  };
  await click('bob', a.id, 'up', idA);
  await click('carol', a.id, 'up', idA);
  const last = await click('admin', a.id, 'down', idA);
  assert.equal(last.responses[0].type, 7, 'a vote updates the message');
  let msgA = h.fake.messages.get(a.id)!;
  assert.match(msgA.embeds[0].fields.find((f: any) => f.name === 'Score').value, /^\+1 \(👍 2 · 👎 1\)/);
  assert.equal(msgA.components[0].components[0].label, '2');
  assert.equal(msgA.components[0].components[1].label, '1');
  // Changing one's mind: admin goes from down to up.
  await click('admin', a.id, 'up', idA);
  msgA = h.fake.messages.get(a.id)!;
  assert.match(msgA.embeds[0].fields.find((f: any) => f.name === 'Score').value, /^\+3/);
  await click('alice', b.id, 'up', idB);
  const top = h.fake.slash(h.users.carol, 'mixtape top', { period: 'week', genre: 'pop' });
  const text = await replyText(h.fake, top, (t) => t.includes('1.'));
  const first = text.indexOf(a.embeds[0].title);
  const second = text.indexOf(b.embeds[0].title);
  assert.ok(first >= 0 && second > first, text);
  assert.ok(text.includes(`https://discord.com/channels/${h.fake.guildId}/${h.fake.textChannelId}/${a.id}`), 'links to the message');
  assert.ok(text.includes('**+3**'));
});

test('variation and extend buttons make new tracks from the stored one', async () => {
  const studio = h.studio as TestStudio;
  const orig = await trackPosted(h.fake, h.fake.slash(h.users.carol, 'compose', { genre: 'game', bars: 3, seed: 11, tempo: 90 }));
  const id = trackIdOf(orig);
  const v = await trackPosted(h.fake, h.fake.click(h.users.bob, orig.id, `mt:var:${id}`));
  const vTrack = await h.store.getTrack(trackIdOf(v));
  assert.equal(vTrack?.parentTrackId, id);
  assert.equal(vTrack?.bars, 3);
  assert.equal(vTrack?.tempo, 90);
  assert.notEqual(vTrack?.seed, 11);
  const e = await trackPosted(h.fake, h.fake.click(h.users.bob, orig.id, `mt:ext:${id}`));
  const req = studio.composeCalls.at(-1)!;
  assert.ok(req.primerMidi, 'extend continues the stored MIDI');
  assert.equal(Number(e.embeds[0].fields.find((f: any) => f.name === 'Bars').value), 3 + 8);
});

test('/track info, then delete; votes on the deleted track are refused', async () => {
  const m = await trackPosted(h.fake, h.fake.slash(h.users.alice, 'compose', { genre: 'dance', bars: 2 }));
  const id = trackIdOf(m);
  const info = h.fake.slash(h.users.bob, 'track info', { id });
  await h.fake.waitFor(() => h.fake.original(info)?.embeds.length, 5000, 'info');
  assert.match(h.fake.original(info)!.embeds[0].description, /2 bars/);
  const notMine = h.fake.slash(h.users.bob, 'track delete', { id });
  assert.match(await ephemeralAnswer(h.fake, notMine), /Only the author/);
  const del = h.fake.slash(h.users.alice, 'track delete', { id });
  assert.match(await ephemeralAnswer(h.fake, del), /Deleted/);
  assert.equal(await h.store.getTrack(id), null);
  await h.fake.waitFor(() => h.fake.messages.get(m.id)?.components.length === 0, 5000, 'message retired');
  const vote = h.fake.click(h.users.carol, m.id, `mt:up:${id}`);
  assert.match(await ephemeralAnswer(h.fake, vote), /deleted/);
});

test('autocomplete offers genres, instruments and models', async () => {
  const it = h.fake.autocomplete(h.users.alice, 'compose', { genre: 'ja', bars: 4 }, 'genre');
  await h.fake.waitFor(() => it.responses.length, 5000, 'autocomplete');
  assert.equal(it.responses[0].type, 8);
  assert.deepEqual(it.responses[0].body.data.choices, [{ name: 'jazz', value: 'jazz' }]);
  const inst = h.fake.autocomplete(h.users.alice, 'compose', { genre: 'jazz', bars: 4, instrument: 'gui' }, 'instrument');
  await h.fake.waitFor(() => inst.responses.length, 5000, 'autocomplete');
  assert.deepEqual(inst.responses[0].body.data.choices.map((c: any) => c.value), ['acoustic guitar']);
});

test('/profile and /help answer', async () => {
  const p = h.fake.slash(h.users.alice, 'profile view', {});
  const text = await replyText(h.fake, p, (t) => t.includes('Tracks'));
  assert.match(text, /Recent/);
  const help = h.fake.slash(h.users.alice, 'help', {});
  const helpText = await ephemeralAnswer(h.fake, help);
  assert.match(helpText, /\/mixtape top/);
});
