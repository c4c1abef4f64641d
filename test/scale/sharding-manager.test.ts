import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeDiscord, shardOf } from '../fake-discord/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'mixtape-shardmgr-'));
const fake = new FakeDiscord();
after(async () => {
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('SHARDS=2: the ShardingManager runs two shard processes, each guild answered by its shard; SIGTERM stops them all', { timeout: 120_000 }, async () => {
  await fake.start();
  const second = fake.addGuild(1 - shardOf(fake.guildId, 2), 2);
  const alice = fake.addUser('alice');
  const child = spawn(process.execPath, ['src/bot/main.ts'], {
    env: {
      ...process.env, SHARDS: '2', DISCORD_TOKEN: 'fake.bot.token-for-the-shard-test', DISCORD_APP_ID: fake.appId,
      DISCORD_API_URL: fake.apiUrl, DATABASE_URL: `file:${join(dir, 'bot.db')}`, LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    await fake.waitFor(() => fake.gatewayOps.filter((o) => o.op === 2).length === 2 && fake.commands.get('global')?.length, 90_000, 'two shards identified');
    assert.equal(fake.connections, 2);
    assert.equal(fake.commandPuts.length, 1, 'shard 0 registers the commands, once');
    const shards = fake.gatewayOps.filter((o) => o.op === 2).map((o) => String(o.d.shard)).sort();
    assert.deepEqual(shards, ['0,2', '1,2']);
    const a = fake.slash(alice, 'help', {}, fake.textChannelId);
    const b = fake.slash(alice, 'help', {}, second.textChannelId);
    await fake.waitFor(() => a.responses.length && b.responses.length, 20_000, 'answers in both guilds');
    assert.equal(a.responses[0].kind, 'callback');
    assert.equal(b.responses[0].kind, 'callback');
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0);
});
