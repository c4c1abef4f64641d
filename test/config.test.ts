import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { canStartBot, loadConfig, missingTokenHelp, readEnvFile } from '../src/config.ts';
import { MixtapeError } from '../src/engine/errors.ts';
import { createLogger } from '../src/log.ts';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.fake-token-for-tests_0123456789';

test('defaults: nothing set is a valid configuration for the CLI', () => {
  const config = loadConfig({});
  assert.deepEqual(config.limits, { maxJobsPerUser: 2, maxQueue: 20, maxAttachmentBytes: 1024 * 1024, maxTrainFiles: 20, concurrency: 1, maxJobsPerGuild: 50 });
  assert.deepEqual(config.scale, { redisUrl: undefined, queueName: 'mixtape', shards: undefined, healthPort: undefined, lockMs: 10_000, stalledMs: 5_000 });
  assert.equal(config.discordApiUrl, 'https://discord.com/api');
  assert.equal(config.logLevel, 'info');
  assert.equal(config.discordToken, undefined);
  assert.equal(config.databaseUrl, undefined);
  assert.equal(canStartBot(config), false);
});

test('values are read, trimmed, blank means unset', () => {
  const config = loadConfig({
    DISCORD_TOKEN: ` ${TOKEN} `,
    DISCORD_APP_ID: '123456789012345678',
    DEV_GUILD_ID: '',
    DATABASE_URL: 'postgresql://bot@127.0.0.1/test',
    DISCORD_API_URL: 'http://127.0.0.1:4000/api/',
    LOG_LEVEL: 'DEBUG',
    MAX_JOBS_PER_USER: '3',
    MAX_QUEUE: '50',
    CONCURRENCY: '2',
    UNRELATED: 'ignored',
  });
  assert.equal(config.discordToken, TOKEN);
  assert.equal(config.devGuildId, undefined);
  assert.equal(config.discordApiUrl, 'http://127.0.0.1:4000/api');
  assert.equal(config.logLevel, 'debug');
  assert.equal(config.limits.maxJobsPerUser, 3);
  assert.equal(config.limits.maxQueue, 50);
  assert.equal(config.limits.concurrency, 2);
  assert.equal(canStartBot(config), true);
});

test('every invalid setting is named in one line, without echoing values', () => {
  let error: unknown;
  try {
    loadConfig({ MAX_QUEUE: 'lots', CONCURRENCY: '0', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', DISCORD_APP_ID: 'abc', DISCORD_TOKEN: 'short secret' });
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof MixtapeError);
  assert.equal(error.code, 'BAD_ARGUMENT');
  const message = error.message;
  assert.ok(!message.includes('\n'), 'one line');
  for (const name of ['MAX_QUEUE must be a whole number from 1 to 10000', 'CONCURRENCY', 'LOG_LEVEL must be one of', 'DATABASE_URL', 'DISCORD_APP_ID', 'DISCORD_TOKEN']) {
    assert.ok(message.includes(name), `${name} in: ${message}`);
  }
  assert.ok(!message.includes('short secret'));
  assert.ok(!message.includes('lots'));
});

test('.env files are parsed without touching process.env', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixtape-env-'));
  try {
    const file = join(dir, '.env');
    writeFileSync(file, `# comment\nDISCORD_TOKEN=${TOKEN}\nMAX_QUEUE="7"\n`);
    const vars = readEnvFile(file);
    assert.deepEqual(vars, { DISCORD_TOKEN: TOKEN, MAX_QUEUE: '7' });
    assert.equal(process.env.MAX_QUEUE, undefined);
    assert.equal(loadConfig(vars).limits.maxQueue, 7);
    assert.deepEqual(readEnvFile(join(dir, 'missing.env')), {});
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('missing-token help says what to set and how to try without Discord', () => {
  const help = missingTokenHelp();
  for (const s of ['DISCORD_TOKEN', 'DISCORD_APP_ID', '.env', 'npm start', 'npx mixtape compose --genre celtic --bars 16 --out out/']) {
    assert.ok(help.includes(s), s);
  }
});

test('the logger redacts tokens, authorization headers and passwords', () => {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const log = createLogger({ level: 'info', name: 'test', destination });
  log.info({ token: TOKEN, user: 'alice' }, 'login');
  log.info({ client: { token: TOKEN }, headers: { authorization: `Bot ${TOKEN}` } }, 'request');
  log.info({ DISCORD_TOKEN: TOKEN, config: { discordToken: TOKEN, databaseUrl: 'postgresql://u:pw@h/db' }, password: 'pw' }, 'config');
  log.debug({ token: TOKEN }, 'below the level');
  const out = lines.join('');
  assert.equal(lines.length, 3);
  assert.ok(!out.includes(TOKEN), out);
  assert.ok(!out.includes(':pw@'));
  assert.ok(!out.includes('"pw"'));
  assert.match(out, /"token":"\[redacted\]"/);
  assert.match(out, /"authorization":"\[redacted\]"/);
  assert.match(out, /"user":"alice"/);
  assert.match(out, /"name":"test"/);
});

test('scale-out settings: Redis URL, queue name, shards, health port; bad values are named', () => {
  const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', QUEUE_NAME: 'mt-1', SHARDS: 'auto', HEALTH_PORT: '8080', MAX_JOBS_PER_GUILD: '7' });
  assert.deepEqual(config.scale, { redisUrl: 'redis://127.0.0.1:6379', queueName: 'mt-1', shards: 'auto', healthPort: 8080, lockMs: 10_000, stalledMs: 5_000 });
  assert.equal(config.limits.maxJobsPerGuild, 7);
  assert.equal(loadConfig({ SHARDS: '2' }).scale.shards, 2);
  // A shard process: discord.js's ShardingManager puts the shard ids in SHARDS.
  assert.equal(loadConfig({ SHARDS: '0', SHARDING_MANAGER: 'true' }).scale.shards, undefined);
  assert.throws(() => loadConfig({ REDIS_URL: 'localhost:6379', SHARDS: 'many' }), /REDIS_URL must start with redis:\/\/.*SHARDS must be auto/);
});
