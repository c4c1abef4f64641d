/** /continue takes an ABC tune: pasted into the `abc` option (one line, as Discord sends it) or attached as .abc. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readMidi } from '../../src/engine/midi.ts';
import { startHarness, trackPosted, ephemeralAnswer, type Harness } from './harness.ts';
import type { TestStudio } from './test-studio.ts';

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h?.stop(); });

const TUNE = 'X:1\nT:The Kesh\nR:jig\nM:6/8\nL:1/8\nK:G\n|:GAG GAB|ABA ABd|edd gdd|edB dBA:|\n';
const pitchesOf = (midi: Uint8Array) => readMidi(midi).tracks.flatMap((t) => t.notes).map((n) => n.pitch);

test('a pasted ABC tune is continued: the primer holds its notes, repeats played out', async () => {
  const studio = h.studio as TestStudio;
  const pasted = TUNE.replace(/\n/g, ' '); // Discord options have no line breaks
  await trackPosted(h.fake, h.fake.slash(h.users.alice, 'continue', { abc: pasted, bars: 2, genre: 'celtic' }));
  const primer = studio.composeCalls.at(-1)!.primerMidi!;
  const pitches = pitchesOf(primer);
  assert.equal(pitches.length, 24 * 2, 'four bars of six eighths, twice');
  assert.deepEqual(pitches.slice(0, 6), [67, 69, 67, 67, 69, 71]);
});

test('an attached .abc file is continued', async () => {
  const studio = h.studio as TestStudio;
  const file = h.fake.attachment('kesh.abc', new TextEncoder().encode(TUNE), 'text/plain');
  await trackPosted(h.fake, h.fake.slash(h.users.bob, 'continue', { file: { attachment: file }, bars: 2 }));
  assert.equal(pitchesOf(studio.composeCalls.at(-1)!.primerMidi!).length, 48);
});

test('text that is not ABC, and neither a file nor text, get a clear answer', async () => {
  const bad = await ephemeralAnswer(h.fake, h.fake.slash(h.users.alice, 'continue', { abc: 'la la la' }));
  assert.match(bad, /not an ABC tune/);
  const none = await ephemeralAnswer(h.fake, h.fake.slash(h.users.alice, 'continue', { bars: 2 }));
  assert.match(none, /Attach a \.mid or \.abc file, or paste an ABC tune/);
});
