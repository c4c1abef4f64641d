import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { zipSync } from 'fflate';
import { commandsHash } from '../../src/bot/register.ts';
import { commands } from '../../src/bot/commands/index.ts';
import { parseButtonId, buttonId, scoreText, slug, withScore } from '../../src/bot/track-message.ts';
import { votesNeeded } from '../../src/bot/voice/manager.ts';
import { checkUpload, unzipMidi, formatBytes, looksLikeMidi } from '../../src/bot/attachments.ts';
import { matchChoices, pickKnown } from '../../src/bot/options.ts';
import { AudioCache } from '../../src/bot/voice/audio-cache.ts';
import { userMessage, GENERIC_ERROR } from '../../src/bot/replies.ts';
import { since } from '../../src/bot/commands/mixtape.ts';
import { MixtapeError } from '../../src/engine/errors.ts';
import { makeMidi } from './test-studio.ts';
import { decryptRtpSize } from '../fake-discord/voice.ts';
import { createCipheriv, randomBytes } from 'node:crypto';

const limits = { maxMidiBytes: 1024 * 1024, maxZipBytes: 8 * 1024 * 1024, maxZipEntries: 3, maxUnzippedBytes: 4 * 1024 * 1024 };

test('command definitions: valid names, at most 25 options, hash ignores Discord defaults and order', () => {
  for (const c of commands) {
    assert.match(c.data.name, /^[a-z]{1,32}$/);
    assert.ok((c.data.options ?? []).length <= 25);
  }
  const defs = commands.map((c) => c.data);
  const asReturned = [...defs].reverse().map((d) => ({ ...d, id: '1', version: '2', application_id: '3', default_member_permissions: d.default_member_permissions ?? null, nsfw: false }));
  assert.equal(commandsHash(asReturned), commandsHash(defs));
  const changed = defs.map((d) => (d.name === 'compose' ? { ...d, description: 'other' } : d));
  assert.notEqual(commandsHash(changed), commandsHash(defs));
});

test('button ids round-trip', () => {
  assert.deepEqual(parseButtonId(buttonId('up', 'abc-1')), { action: 'up', trackId: 'abc-1' });
  assert.equal(parseButtonId('other:up:x'), null);
  assert.equal(parseButtonId('mt:boom:x'), null);
});

test('score text, slugs, score field replacement', () => {
  assert.equal(scoreText({ up: 3, down: 1, score: 2 }), '+2 (👍 3 · 👎 1)');
  assert.equal(scoreText({ up: 0, down: 2, score: -2 }), '-2 (👍 0 · 👎 2)');
  assert.equal(slug('Blue Moon #3'), 'blue-moon-3');
  assert.equal(slug('!!!'), 'mixtape');
  const e = withScore({ title: 't', fields: [{ name: 'Bars', value: '4' }, { name: 'Score', value: 'old' }] }, { up: 1, down: 0, score: 1 }).toJSON();
  assert.deepEqual(e.fields!.map((f) => f.value), ['4', '+1 (👍 1 · 👎 0)']);
});

test('vote-skip needs 55% of listeners when others listen', () => {
  assert.equal(votesNeeded(0), 1);
  assert.equal(votesNeeded(1), 1);
  assert.equal(votesNeeded(2), 2);
  assert.equal(votesNeeded(4), 3);
  assert.equal(votesNeeded(10), 6);
});

test('uploads are checked by name and declared size', () => {
  assert.equal(checkUpload({ name: 'a.MID', size: 10 }, 'midi', limits), 'midi');
  assert.equal(checkUpload({ name: 'a.zip', size: 10 }, 'midi-or-zip', limits), 'zip');
  assert.throws(() => checkUpload({ name: 'a.zip', size: 10 }, 'midi', limits), (e: MixtapeError) => e.code === 'NOT_MIDI');
  assert.throws(() => checkUpload({ name: 'a.mid', size: 50 * 1024 * 1024 }, 'midi', limits), /50 MB; the limit is 1 MB/);
  assert.equal(formatBytes(1536), '1.5 KB');
  assert.ok(looksLikeMidi(makeMidi(1)));
  assert.ok(!looksLikeMidi(new Uint8Array(20)));
});

test('unzip keeps MIDI files and bounds count and size (in a worker)', async () => {
  const files = await unzipMidi(zipSync({ 'x/a.mid': makeMidi(1), 'b.txt': new Uint8Array(4), '__MACOSX/x/a.mid': makeMidi(1) }), limits);
  assert.deepEqual(files.map((f) => f.name), ['a.mid']);
  assert.deepEqual(files[0].bytes, makeMidi(1));
  const many = Object.fromEntries(Array.from({ length: 4 }, (_, n) => [`${n}.mid`, makeMidi(1)]));
  await assert.rejects(unzipMidi(zipSync(many), limits), /more than 3 MIDI files/);
  await assert.rejects(unzipMidi(zipSync({ 'big.mid': new Uint8Array(2 * 1024 * 1024) }), limits), (e: MixtapeError) => e.code === 'TOO_LARGE');
  await assert.rejects(unzipMidi(new Uint8Array([1, 2, 3, 4]), limits), (e: MixtapeError) => e.code === 'BAD_ARGUMENT');
});

test('choices and known names', () => {
  assert.deepEqual(matchChoices(['jazz', 'pop', 'j-pop'], 'p').map((c) => c.value), ['pop', 'j-pop']);
  assert.equal(matchChoices(Array.from({ length: 40 }, (_, n) => `g${n}`), '').length, 25);
  assert.equal(pickKnown('JAZZ', ['jazz'], 'genre'), 'jazz');
  assert.throws(() => pickKnown('polka', ['jazz'], 'genre'), (e: MixtapeError) => e.code === 'UNKNOWN_GENRE');
});

test('audio cache drops the least recently used entries past its budget', () => {
  const c = new AudioCache(100);
  c.set('a', { ogg: new Uint8Array(40) });
  c.set('b', { ogg: new Uint8Array(40) });
  c.get('a');
  c.set('c', { ogg: new Uint8Array(40) });
  assert.ok(c.get('a') && c.get('c'));
  assert.equal(c.get('b'), undefined);
  c.set('huge', { ogg: new Uint8Array(101) });
  assert.equal(c.get('huge'), undefined);
  assert.equal(c.size, 80);
});

test('error messages: user errors verbatim (capitalized), others generic', () => {
  assert.equal(userMessage(new MixtapeError('LIMIT', 'the queue is full')), 'The queue is full');
  assert.equal(userMessage(new Error('secret internals')), GENERIC_ERROR);
  assert.equal(since('all'), undefined);
  assert.equal(since('week', 8 * 86400000)!.getTime(), 86400000);
});

test('the fake voice server decrypts aead_aes256_gcm_rtpsize packets', () => {
  const key = randomBytes(32);
  const header = Buffer.from([0x80, 0x78, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]);
  const nonce = Buffer.alloc(12);
  nonce.writeUInt32BE(7, 0);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(header);
  const body = Buffer.concat([c.update(Buffer.from('opus!')), c.final(), c.getAuthTag()]);
  const packet = Buffer.concat([header, body, nonce.subarray(0, 4)]);
  assert.equal(decryptRtpSize(packet, key)?.toString(), 'opus!');
  assert.equal(decryptRtpSize(packet, randomBytes(32)), null);
});

test('npm start without a token explains what to set and exits non-zero', () => {
  const main = new URL('../../src/bot/main.ts', import.meta.url).pathname;
  const cwd = mkdtempSync(`${tmpdir()}/mixtape-start-`);
  const r = spawnSync(process.execPath, [main], { cwd, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 20000 });
  rmSync(cwd, { recursive: true, force: true });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /DISCORD_TOKEN/);
  assert.match(r.stderr, /npx mixtape compose/);
});

test('npm start and mixtape worker with an invalid setting say which in one line and exit 1', () => {
  const cwd = mkdtempSync(`${tmpdir()}/mixtape-start-`);
  try {
    for (const script of ['../../src/bot/main.ts', '../../src/worker/main.ts']) {
      const path = new URL(script, import.meta.url).pathname;
      const env = { PATH: process.env.PATH ?? '', DISCORD_TOKEN: 'not-a-token', DISCORD_APP_ID: '123', REDIS_URL: 'redis://127.0.0.1:6379' };
      const r = spawnSync(process.execPath, [path], { cwd, env, encoding: 'utf8', timeout: 20000 });
      assert.equal(r.status, 1, script);
      assert.match(r.stderr, /DISCORD_TOKEN does not look like a bot token/, script);
      assert.equal(r.stderr.trim().split('\n').length, 1, `${script}: ${r.stderr}`);
    }
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
