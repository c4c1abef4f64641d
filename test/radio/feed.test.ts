/**
 * The voice thread's packet feed on its own: PCM segments in, 20 ms Opus packets out, with the
 * segment starts, drops and skips the radio relies on, the live feed's silence when nothing
 * is queued, and a track that arrives in chunks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FRAME_SAMPLES, PacketFeed, SILENCE_PACKET } from '../../src/bot/voice/feed.ts';
import { decodeOpusPackets } from '../../src/render/opus.ts';
import { sinePcm } from '../bot/test-studio.ts';

/** `frames` 20 ms frames of a sine. */
const frames = (n: number, hz = 440) => sinePcm(hz, 0.02 * n);
const tick = () => new Promise((r) => setImmediate(r));

/** Reads what the player would, one packet per call (null: nothing yet, undefined: ended). */
async function take(feed: PacketFeed): Promise<Buffer | null | undefined> {
  await tick();
  if (feed.readable.readableEnded) return undefined;
  const p = feed.readable.read() as Buffer | null;
  if (p === null && feed.readable.readableEnded) return undefined;
  return p;
}

test('a track: every frame once, the last one padded, then the end; its start is reported with its first packet', async () => {
  const starts: number[] = [];
  const feed = new PacketFeed({ live: false, onStart: (s) => starts.push(s) });
  const pcm = sinePcm(440, 0.05); // 2.5 frames
  feed.append(0, pcm);
  feed.finish();
  const packets: Buffer[] = [];
  for (let k = 0; k < 10; k++) {
    const p = await take(feed);
    if (p === undefined) break;
    if (p) packets.push(p);
    if (k === 0) assert.deepEqual(starts, [0]);
  }
  assert.equal(packets.length, 3);
  assert.ok(feed.readable.readableEnded, 'the feed ended');
  const decoded = decodeOpusPackets(packets);
  assert.equal(decoded.length, 3 * FRAME_SAMPLES);
  // Audible sine, not silence.
  const rms = Math.sqrt(decoded.reduce((s, v) => s + v * v, 0) / decoded.length);
  assert.ok(rms > 3000, `rms ${rms.toFixed(0)}`);
});

test('live: segments play back to back, each start reported when its first packet goes out; silence is counted when nothing is queued', async () => {
  const starts: number[] = [];
  const feed = new PacketFeed({ live: true, onStart: (s) => starts.push(s) });
  feed.append(1, frames(2));
  feed.append(2, frames(1, 660));
  const got: (Buffer | null | undefined)[] = [];
  // A start is reported when its first packet enters the player's one-packet buffer (20 ms early).
  for (let k = 0; k < 3; k++) {
    got.push(await take(feed));
    assert.deepEqual(starts, k < 1 ? [1] : [1, 2], `after packet ${k + 1}`);
  }
  assert.ok(got.every((p) => p && !p.equals(SILENCE_PACKET)));
  assert.ok((await take(feed))!.equals(SILENCE_PACKET));
  assert.ok((await take(feed))!.equals(SILENCE_PACKET));
  assert.equal(feed.underrunMs, 60, 'three silent packets handed over (one still in the buffer)');
  // A late piece is played as soon as it comes (after the one silent packet already buffered).
  feed.append(3, frames(1));
  assert.ok((await take(feed))!.equals(SILENCE_PACKET));
  assert.ok(!(await take(feed))!.equals(SILENCE_PACKET));
  assert.deepEqual(starts, [1, 2, 3]);
  feed.readable.destroy();
});

test('live: drop removes the pieces not started (even when encoded ahead), never the one playing; skip ends the one playing', async () => {
  const starts: number[] = [];
  const feed = new PacketFeed({ live: true, onStart: (s) => starts.push(s) });
  feed.append(1, frames(10));
  feed.append(2, frames(5));
  feed.append(3, frames(5));
  await take(feed);
  for (let k = 0; k < 5; k++) await tick(); // the encoder runs ahead into 2 and 3
  assert.deepEqual(feed.drop([1, 2]), [2], 'the playing piece stays');
  assert.deepEqual(feed.queued.segments + feed.queued.packets > 0, true);
  for (let k = 0; k < 9; k++) assert.ok(!(await take(feed))!.equals(SILENCE_PACKET), `packet ${k + 2} of piece 1`);
  assert.ok(!(await take(feed))!.equals(SILENCE_PACKET));
  assert.deepEqual(starts, [1, 3], 'piece 2 never played; 3 follows 1');
  // Skip: piece 3 ends at once, 4 follows.
  feed.append(4, frames(3));
  feed.skip();
  await take(feed);
  assert.deepEqual(starts, [1, 3, 4]);
  feed.readable.destroy();
});

test('a track still rendering: nothing while the next chunk is late, then the rest, then the end', async () => {
  const feed = new PacketFeed({ live: false });
  feed.append(0, sinePcm(440, 0.03), true); // 1.5 frames, more to come
  assert.ok(await take(feed));
  assert.equal(await take(feed), null, 'half a frame waits for the rest');
  assert.equal(await take(feed), null);
  feed.more(sinePcm(440, 0.03)); // now 1.5 frames queued
  assert.ok(await take(feed));
  feed.finish();
  assert.ok(await take(feed), 'the last half frame, padded');
  assert.equal(await take(feed), undefined);
});
