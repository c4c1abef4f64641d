import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PermissionFlagsBits } from 'discord.js';
import { startHarness, ephemeralAnswer, trackPosted, type Harness } from './harness.ts';
import { createTestStudio } from './test-studio.ts';
import { SETTINGS, checkSetting, configOf, settingDef } from '../../src/settings/index.ts';

const MEMBER = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.UseApplicationCommands;
let h: Harness;
before(async () => {
  h = await startHarness({
    studio: createTestStudio({ composeMs: 1500 }),
    members: { manager: MEMBER | PermissionFlagsBits.ManageGuild, mod: MEMBER | PermissionFlagsBits.ManageMessages },
  });
});
after(async () => { await h?.stop(); });

test('the registry: every setting has a unique key and subcommand, typed defaults', () => {
  assert.equal(new Set(SETTINGS.map((s) => s.key)).size, SETTINGS.length);
  assert.equal(new Set([...SETTINGS.map((s) => s.name), 'show', 'log']).size, SETTINGS.length + 2);
  for (const s of SETTINGS) assert.match(s.name, /^[a-z][a-z0-9-]{0,31}$/);
  const defaults = configOf({});
  assert.deepEqual([defaults.mixtapeChannel, defaults.maxJobsPerUser], [null, null]);
  for (const s of SETTINGS) assert.ok(s.key in defaults, `${s.key} has a default`);
  // A stored value that no longer fits (range narrowed, wrong type) reads as the default.
  assert.equal(configOf({ maxJobsPerUser: 500, mixtapeChannel: 7 }).maxJobsPerUser, null);
  assert.throws(() => checkSetting(settingDef('job-limit')!, 0), /job-limit must be a whole number from 1 to 20/);
  assert.equal(checkSetting(settingDef('maxJobsPerUser')!, null), null);
});

test('/settings is registered for Manage Server only, and refuses members without it', async () => {
  const def = h.fake.commandDef('settings');
  assert.equal(def.default_member_permissions, PermissionFlagsBits.ManageGuild.toString());
  const subs = def.options.map((o: any) => o.name);
  assert.deepEqual(subs, ['show', 'log', ...SETTINGS.map((s) => s.name)]);
  // A moderator (Manage Messages) is not a server manager.
  for (const who of ['alice', 'mod']) {
    const it = h.fake.slash(h.users[who], 'settings job-limit', { value: 1 });
    assert.match(await ephemeralAnswer(h.fake, it), /Only members with Manage Server/);
  }
  assert.deepEqual(await h.store.getSettings(h.fake.guildId), {});
});

test('a manager sets the mixtape channel and the job limit; both are enforced and logged', async () => {
  const setChannel = h.fake.slash(h.users.manager, 'settings channel', { value: h.fake.musicChannelId });
  assert.match(await ephemeralAnswer(h.fake, setChannel), new RegExp(`channel\\*\\* is now <#${h.fake.musicChannelId}>`));
  const setLimit = h.fake.slash(h.users.manager, 'settings job-limit', { value: 1 });
  assert.match(await ephemeralAnswer(h.fake, setLimit), /job-limit\*\* is now 1/);
  // Out of range (Discord checks min/max; the bot checks again).
  const bad = h.fake.slash(h.users.manager, 'settings job-limit', { value: 99 });
  assert.match(await ephemeralAnswer(h.fake, bad), /from 1 to 20/);

  const show = h.fake.slash(h.users.manager, 'settings show', {});
  await h.fake.waitFor(() => h.fake.original(show)?.embeds.length, 5000, 'settings shown');
  const shown = h.fake.original(show)!.embeds[0].description;
  assert.match(shown, new RegExp(`\\*\\*channel\\*\\*: <#${h.fake.musicChannelId}>`));
  assert.match(shown, /\*\*job-limit\*\*: 1/);

  // Composing elsewhere is refused, with the way to the right channel.
  const elsewhere = h.fake.slash(h.users.alice, 'compose', { genre: 'pop', bars: 2 });
  assert.match(await ephemeralAnswer(h.fake, elsewhere), new RegExp(`composes in <#${h.fake.musicChannelId}>`));
  // In the channel it works, and the job limit (1) refuses a second piece while one runs.
  const first = h.fake.slash(h.users.alice, 'compose', { genre: 'pop', bars: 2 }, h.fake.musicChannelId);
  await h.fake.waitFor(() => first.responses.length > 0, 5000, 'first deferred');
  const second = h.fake.slash(h.users.alice, 'compose', { genre: 'pop', bars: 2 }, h.fake.musicChannelId);
  assert.match(await ephemeralAnswer(h.fake, second), /1 piece/);
  const posted = await trackPosted(h.fake, first);
  assert.equal(posted.channel_id, h.fake.musicChannelId);

  // Who changed what, newest first, in the store and in /settings log.
  const changes = await h.store.settingChanges(h.fake.guildId, 10);
  assert.deepEqual(changes.map((c) => [c.key, c.value, c.userId]), [
    ['maxJobsPerUser', 1, h.users.manager.id],
    ['mixtapeChannel', h.fake.musicChannelId, h.users.manager.id],
  ]);
  const log = h.fake.slash(h.users.manager, 'settings log', {});
  await h.fake.waitFor(() => h.fake.original(log)?.embeds.length, 5000, 'log shown');
  assert.match(h.fake.original(log)!.embeds[0].description, new RegExp(`<@${h.users.manager.id}> set \\*\\*job-limit\\*\\* to 1`));

  // Reset: back to the default, composing anywhere again.
  const reset = h.fake.slash(h.users.manager, 'settings channel', { reset: true });
  assert.match(await ephemeralAnswer(h.fake, reset), /channel\*\* is now not set/);
  assert.deepEqual(await h.store.getSettings(h.fake.guildId), { maxJobsPerUser: 1 });
  await trackPosted(h.fake, h.fake.slash(h.users.bob, 'compose', { genre: 'pop', bars: 2 }));
  assert.equal((await h.store.settingChanges(h.fake.guildId, 1))[0].value, null);
});
