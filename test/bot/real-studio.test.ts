/**
 * The bot with the REAL studio: shipped models, FluidSynth, ffmpeg and the piano roll, end to
 * end through the real discord.js client and the fake Discord (SQLite).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_SOUNDFONT } from '../render/helpers.ts';
import { startHarness, trackPosted, trackIdOf, replyText, type Harness } from './harness.ts';
import { readMidi, writeMidi } from '../../src/engine/midi.ts';
import type { Score } from '../../src/engine/score.ts';
import { closeRenderers } from '../../src/render/index.ts';

process.env.SOUNDFONT = TEST_SOUNDFONT; // the small GM font: loads in ~2 s
let h: Harness;
before(async () => {
  const studio = await import('../../src/studio/index.ts');
  studio.useGenerationWorker(); // as the bot runs it
  h = await startHarness({ studio, limits: { trainSeconds: 20 } });
});
after(async () => {
  await h?.stop();
  await closeRenderers();
});

const served = (url: string) => h.fake.served.get(new URL(url).pathname)!.bytes;
const fileOf = (msg: { attachments: { filename: string; url: string }[] }, ext: string) => served(msg.attachments.find((a) => a.filename.endsWith(ext))!.url);

function tune(): Score {
  const notes = [67, 69, 71, 74, 71, 69, 67, 64, 62, 64, 67, 69, 71, 69, 67, 67].map((pitch, i) => ({ pitch, start: i * 0.5, duration: 0.5, velocity: 90 }));
  return { title: 'primer', tracks: [{ name: 'fiddle', program: 40, isDrum: false, notes }], tempos: [{ beat: 0, bpm: 110 }], timeSignatures: [{ beat: 0, numerator: 4, denominator: 4 }], lengthBeats: 8 };
}

test('/compose with the shipped celtic model posts real audio, MIDI of exactly the bars asked, and a picture', async () => {
  const msg = await trackPosted(h.fake, h.fake.slash(h.users.alice, 'compose', { genre: 'celtic', bars: 8, seed: 7 }), 60000);
  const ogg = fileOf(msg, '.ogg');
  assert.equal(new TextDecoder().decode(ogg.subarray(0, 4)), 'OggS');
  assert.ok(ogg.length > 10_000, 'not a silent stub');
  const png = served(msg.attachments.find((a) => a.filename === 'roll.png')!.url);
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
  const score = readMidi(fileOf(msg, '.mid'));
  const barBeats = (4 * score.timeSignatures[0].numerator) / score.timeSignatures[0].denominator;
  const end = Math.max(...score.tracks.flatMap((t) => t.notes.map((n) => n.start + n.duration)));
  assert.ok(end <= 8 * barBeats + 1e-6 && end > 7 * barBeats, `8 bars: music ends at beat ${end}`);
});

test('/continue with an uploaded MIDI keeps the primer and adds new bars', async () => {
  const file = h.fake.attachment('primer.mid', writeMidi(tune()), 'audio/midi');
  const msg = await trackPosted(h.fake, h.fake.slash(h.users.bob, 'continue', { file: { attachment: file }, bars: 4, genre: 'celtic' }), 60000);
  const score = readMidi(fileOf(msg, '.mid'));
  assert.equal(score.tracks.length, 2, 'primer track + continuation track');
  assert.deepEqual(score.tracks[0].notes.map((n) => n.pitch), tune().tracks[0].notes.map((n) => n.pitch));
  assert.ok(score.tracks[1].notes.length > 0 && score.tracks[1].notes.every((n) => n.start >= 8 - 1e-6));
});

test('/train fine-tunes the celtic model on a few files and /compose model: uses it', async () => {
  const files = Object.fromEntries([1, 2, 3].map((i) => [`file${i}`, { attachment: h.fake.attachment(`t${i}.mid`, writeMidi(tune()), 'audio/midi') }]));
  const it = h.fake.slash(h.users.carol, 'train', { name: 'reels', genre: 'celtic', ...files });
  await replyText(h.fake, it, (t) => t.includes('is ready'), 120000);
  const [model] = await h.store.listModels(h.users.carol.id);
  assert.equal(model.name, 'reels');
  const msg = await trackPosted(h.fake, h.fake.slash(h.users.carol, 'compose', { genre: 'celtic', bars: 4, model: 'reels', seed: 1 }), 60000);
  assert.match(msg.embeds[0].description, /reels/);
  assert.ok(readMidi(fileOf(msg, '.mid')).tracks[0].notes.length > 0);
});

test('/radio with the real studio: real pieces back to back in voice without a gap, each saved with its Ogg, until the channel empties', { timeout: 120000 }, async () => {
  const { joinedPcm } = await import('../fake-discord/voice.ts');
  const inVoice = async (inChannel: boolean) => {
    h.fake.setVoice(h.users.alice, inChannel ? h.fake.voiceChannelId : null);
    await h.fake.waitFor(() => (h.bot.client.guilds.cache.get(h.fake.guildId)?.voiceStates.cache.get(h.users.alice.id)?.channelId ?? null) === (inChannel ? h.fake.voiceChannelId : null), 5000, 'voice state');
  };
  const nowPlaying = () => [...h.fake.messages.values()].filter((m) => m.content.startsWith('📻 Now playing'));
  h.fake.gatewayOps.length = 0;
  await inVoice(true);
  const sessionsBefore = h.fake.voice.sessions.length;
  await replyText(h.fake, h.fake.slash(h.users.alice, 'radio start', { genre: 'celtic', bars: 2, instrument: 'flute' }), (t) => t.includes('Radio on'), 60000);
  // Three pieces started (the third one's start ends the second), then everyone leaves.
  await h.fake.waitFor(() => nowPlaying().length >= 3, 60000, 'three pieces on air');
  const radio = h.bot.ctx.radio.get(h.fake.guildId)!;
  await inVoice(false);
  await h.fake.waitFor(() => h.fake.gatewayOps.some((o) => o.op === 4 && o.d.channel_id === null), 5000, 'the bot to leave');
  const session = h.fake.voice.sessions[sessionsBefore];
  const a = session.arrivals;
  const gap = Math.max(...a.slice(1).map((t, k) => t - a[k]));
  console.log(`real radio: ${(a.length * 0.02).toFixed(1)} s of packets, longest gap ${gap.toFixed(0)} ms, ${nowPlaying().length} pieces announced`);
  assert.equal(radio.stream.underrunMs, 0, 'every piece was ready in time');
  assert.ok(gap <= 200, `longest gap between packets ${gap.toFixed(0)} ms`);
  // Real music, not silence: the decoded audio is loud enough over the whole run.
  const pcm = joinedPcm(session);
  const rms = Math.sqrt(pcm.reduce((s, v) => s + v * v, 0) / pcm.length);
  assert.ok(rms > 500, `rms ${rms.toFixed(0)}`);
  for (const m of nowPlaying().slice(0, 3)) {
    const ogg = await h.store.getTrackAudio(trackIdOf(m));
    assert.ok(ogg && new TextDecoder().decode(ogg.subarray(0, 4)) === 'OggS', 'its Ogg/Opus is stored');
  }
});
