import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Renderer, renderScore, scoreToMidi, closeRenderers } from '../../src/render/index.ts';
import { DEFAULT_MAX_BYTES } from '../../src/render/ffmpeg.ts';
import { MixtapeError } from '../../src/engine/errors.ts';
import { integratedLoudness, truePeak } from '../../src/render/loudness.ts';
import { TEST_SOUNDFONT, decodeWithFfmpeg, rms, scale } from './helpers.ts';

// One renderer (one font load) for the whole file.
const renderer = new Renderer({ soundfont: TEST_SOUNDFONT });
after(() => renderer.close());
after(() => closeRenderers());

test('renders MIDI to audible 48 kHz stereo PCM: music length plus a bounded tail', async () => {
  const audio = await renderer.render(scoreToMidi(scale(16))); // 8 beats at 120 bpm = 4 s
  assert.equal(audio.sampleRate, 48000);
  assert.equal(audio.left.length, audio.right.length);
  assert.ok(Math.abs(audio.musicSeconds - 4) < 0.05, `music ${audio.musicSeconds}`);
  assert.ok(audio.durationSeconds > 4 && audio.durationSeconds <= 4 + 3 + 1e-9, `duration ${audio.durationSeconds}`);
  assert.ok(rms(audio.left) > 0.01, 'not silent');
  assert.equal(audio.noteCount, 16);
  assert.equal(audio.truncated, false);
  // Tail rings out: just after the last note-off there is still sound.
  const after = Math.round(4.05 * 48000);
  assert.ok(rms(audio.left, after, after + 2400) > 1e-4, 'tail after the last note');
});

test('effects off renders a different, still audible signal; requests queue in order', async () => {
  const midi = scoreToMidi(scale(8));
  const [wet, dry] = await Promise.all([renderer.render(midi), renderer.render(midi, { reverb: false, chorus: false })]);
  assert.ok(rms(dry.left) > 0.01);
  assert.notDeepEqual(wet.left.subarray(0, 48000), dry.left.subarray(0, 48000));
});

test('every render lands on -16 LUFS under -1 dBTP, measured beside the synth; a louder target goes through the limiter', async () => {
  const quiet = scale(24);
  for (const n of quiet.tracks[0].notes) n.velocity = 50;
  for (const [score, target] of [[scale(16), -16], [quiet, -16], [scale(16), -7]] as const) {
    const audio = await renderer.render(scoreToMidi(score), { loudness: target });
    const measured = integratedLoudness([audio.left, audio.right], 48000);
    if (target === -16) assert.ok(Math.abs(measured - -16) < 0.05, `measured ${measured.toFixed(2)} LUFS`);
    else assert.ok(measured > -10 && measured <= target + 0.05, `limited: ${measured.toFixed(2)} LUFS for a target of ${target}`);
    assert.ok(Math.abs(audio.loudness! - measured) < 0.05, `reported ${audio.loudness} vs measured ${measured}`);
    const tp = truePeak([audio.left, audio.right]);
    assert.ok(tp <= -1 + 1e-6, `true peak ${tp.toFixed(2)} dBTP`);
    assert.ok(Math.abs(audio.truePeak! - tp) < 0.05, `reported true peak ${audio.truePeak} vs ${tp}`);
  }
  const raw = await renderer.render(scoreToMidi(scale(16)), { normalize: false });
  assert.equal(raw.loudness, undefined, 'normalize: false leaves the level alone');
});

test('long files are cut at maxSeconds and flagged', async () => {
  const audio = await renderer.render(scoreToMidi(scale(32)), { maxSeconds: 2, tailSeconds: 0.5 });
  assert.equal(audio.truncated, true);
  assert.ok(audio.durationSeconds <= 2.5 + 1e-9);
});

test('corrupt MIDI and too many notes are MixtapeErrors, and the renderer keeps working', async () => {
  await assert.rejects(renderer.render(new Uint8Array([1, 2, 3, 4, 5])), (e: MixtapeError) => e.code === 'NOT_MIDI');
  const midi = scoreToMidi(scale(16));
  await assert.rejects(renderer.render(midi.subarray(0, midi.length - 20)), (e: MixtapeError) => e.code === 'NOT_MIDI');
  await assert.rejects(renderer.render(midi, { maxNotes: 10 }), (e: MixtapeError) => e.code === 'TOO_LARGE' && /16 notes/.test(e.message));
  assert.ok(rms((await renderer.render(midi)).left) > 0.01);
});

test('a missing or corrupt SoundFont is a SOUNDFONT error', async () => {
  const missing = new Renderer({ soundfont: '/nonexistent/font.sf2' });
  await assert.rejects(missing.ready(), (e: MixtapeError) => e.code === 'SOUNDFONT' && /not found/.test(e.message));
  await assert.rejects(missing.render(scoreToMidi(scale(2))), (e: MixtapeError) => e.code === 'SOUNDFONT');
  const dir = await mkdtemp(join(tmpdir(), 'mixtape-sf-'));
  try {
    const fake = join(dir, 'fake.sf2');
    await writeFile(fake, Buffer.concat([Buffer.from('RIFF'), Buffer.from([100, 0, 0, 0]), Buffer.from('sfbk'), Buffer.alloc(100, 7)]));
    const corrupt = new Renderer({ soundfont: fake });
    await assert.rejects(corrupt.ready(), (e: MixtapeError) => e.code === 'SOUNDFONT' && /corrupt/.test(e.message));
    await corrupt.close();
    const notFont = join(dir, 'x.sf2');
    await writeFile(notFont, 'hello');
    await assert.rejects(new Renderer({ soundfont: notFont }).ready(), (e: MixtapeError) => e.code === 'SOUNDFONT');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('renderScore: ogg and mp3 decode with ffmpeg to the rendered duration; png and pcm come back', async () => {
  const r = await renderScore(scale(16), { renderer, formats: ['ogg', 'mp3'], genre: 'celtic' });
  assert.deepEqual(r.files.map((f) => f.format), ['ogg', 'mp3']);
  assert.equal(r.pcm.length, Math.round(r.durationSeconds * 48000) * 2);
  for (const f of r.files) {
    const decoded = decodeWithFfmpeg(f.bytes);
    const seconds = decoded.length / 48000;
    assert.ok(Math.abs(seconds - r.durationSeconds) < 0.1, `${f.format}: ${seconds} vs ${r.durationSeconds}`);
    assert.ok(rms(decoded) > 0.01, `${f.format} not silent`);
  }
  assert.deepEqual([...r.png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
  assert.equal(r.score.tracks[0].program, 40); // celtic lead: fiddle
  assert.ok(r.timings.renderMs > 0 && r.timings.encodeMs > 0);
});

test('a 64-bar piece stays under 10 MiB in every format', async () => {
  const r = await renderScore(scale(64 * 8, 160), { renderer, formats: ['ogg', 'mp3', 'wav'], picture: false, reverb: false, chorus: false });
  assert.ok(r.durationSeconds > 90, `duration ${r.durationSeconds}`);
  for (const f of r.files) assert.ok(f.bytes.length <= DEFAULT_MAX_BYTES, `${f.format} is ${f.bytes.length} bytes`);
  const wav = r.files.find((f) => f.format === 'wav')!.bytes;
  const rate = new DataView(wav.buffer, wav.byteOffset).getUint32(24, true);
  assert.ok(rate < 48000, 'the WAV was downsampled to fit');
});

test('renderScore refuses an empty score and an unknown instrument before rendering', async () => {
  const empty = { ...scale(1), tracks: [] };
  await assert.rejects(renderScore(empty, { renderer }), (e: MixtapeError) => e.code === 'NO_NOTES');
  await assert.rejects(renderScore(scale(4), { renderer, instrument: 'kazoo-o-phone' }), (e: MixtapeError) => e.code === 'UNKNOWN_INSTRUMENT' && /piano/.test(e.message));
});

test('no stray temp files are left in the temp folder by encoding', async () => {
  const before = (await readdir(tmpdir())).filter((n) => n.endsWith('.tmp')).length;
  await renderScore(scale(4), { renderer, formats: ['ogg'] });
  const afterCount = (await readdir(tmpdir())).filter((n) => n.endsWith('.tmp')).length;
  assert.equal(afterCount, before);
});
