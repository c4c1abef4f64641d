import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cronOf, dueInWeek, isoWeek, parseWeeklyTime, weekStart } from '../../src/record/schedule.ts';
import { crossfadeConcat, mixTailInto, slicePcm } from '../../src/render/mixdown.ts';
import { recordMixtape } from '../../src/studio/record.ts';
import { sinePcm } from '../bot/test-studio.ts';
import { decodeWithFfmpeg } from '../render/helpers.ts';
import { checkSetting, settingDef } from '../../src/settings/index.ts';

test('weekly times, ISO weeks and due instants (UTC)', () => {
  assert.deepEqual(parseWeeklyTime('fri 18:00'), { day: 5, hour: 18, minute: 0 });
  assert.deepEqual(parseWeeklyTime('Sun 7:05'), { day: 0, hour: 7, minute: 5 });
  assert.equal(parseWeeklyTime('friday 18:00'), null);
  assert.equal(parseWeeklyTime('fri 24:00'), null);
  assert.equal(parseWeeklyTime(null), null);
  assert.equal(isoWeek(new Date('2026-12-01T12:00Z')), '2026-W49');
  assert.equal(isoWeek(new Date('2027-01-01T12:00Z')), '2026-W53'); // a Friday: the week of 2026's last Thursday
  assert.equal(isoWeek(new Date('2025-12-29T00:00Z')), '2026-W01');
  assert.equal(isoWeek(new Date('2026-12-06T23:59Z')), '2026-W49'); // Sunday still the same week
  assert.equal(weekStart(new Date('2026-12-06T23:59Z')).toISOString(), '2026-11-30T00:00:00.000Z');
  assert.equal(dueInWeek(new Date('2026-12-01T12:00Z'), { day: 5, hour: 18, minute: 0 }).toISOString(), '2026-12-04T18:00:00.000Z');
  assert.equal(dueInWeek(new Date('2026-12-01T12:00Z'), { day: 0, hour: 9, minute: 30 }).toISOString(), '2026-12-06T09:30:00.000Z');
  assert.equal(cronOf({ day: 5, hour: 18, minute: 0 }), '0 18 * * 5');
  // The /settings entry takes the same form and stores it canonically.
  assert.equal(checkSetting(settingDef('weekly-post')!, 'FRI 8:00'), 'fri 08:00');
  assert.throws(() => checkSetting(settingDef('weekly-post')!, 'someday'), /fri 18:00/);
});

test('mixdown: cross-faded length = sum of the parts minus one fade per join; slices and tails', () => {
  const parts = [sinePcm(300, 2), sinePcm(400, 3), sinePcm(500, 1.5)];
  const fade = 24000;
  const joined = crossfadeConcat(parts, fade);
  assert.equal(joined.pcm.length / 2, 48000 * (2 + 3 + 1.5) - 2 * fade);
  assert.deepEqual(joined.starts, [0, 96000 - fade, 96000 + 144000 - 2 * fade]);
  // A fade longer than half a part is shortened to half of the shorter neighbour.
  assert.equal(crossfadeConcat([sinePcm(300, 1), sinePcm(300, 1)], 48000).pcm.length / 2, 96000 - 24000);
  assert.equal(slicePcm(sinePcm(300, 2), 48000, 0.5, 1.5).length, 96000);
  assert.equal(mixTailInto(sinePcm(300, 1), sinePcm(300, 2)).length, 192000);
});

test('recordMixtape: the Ogg and MP3 last the pieces minus the cross-fades', async () => {
  const seconds = [4, 5, 3.5];
  const pieces = seconds.map((s, k) => ({ title: `piece ${k}`, midi: new Uint8Array([k]) }));
  const rec = await recordMixtape(pieces, { crossfadeSeconds: 1.5, formats: ['ogg', 'mp3'] }, async (midi) => sinePcm(300 + 100 * midi[0], seconds[midi[0]]));
  const expected = seconds.reduce((a, b) => a + b, 0) - 2 * 1.5;
  assert.equal(rec.durationSeconds, expected);
  assert.deepEqual(rec.starts, [0, 2.5, 6]);
  for (const a of rec.audio) {
    const decoded = decodeWithFfmpeg(a.bytes).length / 48000;
    // MP3 pads a frame or two (26 ms each) at the ends.
    assert.ok(Math.abs(decoded - expected) < 0.06, `${a.format}: ${decoded.toFixed(3)} s, expected ${expected} s`);
  }
});
