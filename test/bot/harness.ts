/**
 * Test harness: a fake Discord, a real store (SQLite in a temp dir, or PostgreSQL in a fresh
 * schema), the real in-process queue, a studio (the test one unless given) and the REAL bot.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import pino from 'pino';
import { FakeDiscord, type FakeInteraction, type FakeMessage, type FakeUser } from '../fake-discord/server.ts';
import { openStore } from '../../src/storage/index.ts';
import type { Store } from '../../src/storage/types.ts';
import { createMemoryQueue } from '../../src/queue/index.ts';
import type { JobQueue, QueueOptions } from '../../src/queue/types.ts';
import { startBot, type RunningBot } from '../../src/bot/bot.ts';
import type { BotLimits, Studio } from '../../src/bot/types.ts';
import { createTestStudio } from './test-studio.ts';
import { MixtapeError } from '../../src/engine/errors.ts';

export interface HarnessOptions {
  /** 'sqlite' (default) or 'postgres' (127.0.0.1:5432, database test, a new schema). */
  database?: 'sqlite' | 'postgres';
  /** PostgreSQL only: reach it through this host:port (e.g. a proxy that can hang). */
  pgHost?: string;
  /** Deadline of each Store call (default: the store's). */
  storeTimeoutMs?: number;
  studio?: Studio;
  queue?: QueueOptions;
  limits?: Partial<BotLimits>;
  /** Extra members made before the bot logs in. */
  users?: string[];
  /** Extra members with the permissions Discord computes for their interactions (e.g. Manage Server). */
  members?: Record<string, bigint>;
  /** The Store the bot uses, wrapped around the real one (e.g. to add delays). */
  wrapStore?: (store: Store) => Store;
  /** Public base URL of the web pages: track messages get an "Open" button. */
  webUrl?: string;
}

export interface Harness {
  fake: FakeDiscord;
  bot: RunningBot;
  store: Store;
  /** The store the bot uses: `unavailable = true` makes every call fail like a lost database. */
  outage: { unavailable: boolean };
  queue: JobQueue;
  studio: Studio;
  users: Record<string, FakeUser>;
  lines: string[];
  stop(): Promise<void>;
}

/** Trusts the fake voice server's self-signed certificate, in this test process only. */
function trustVoiceCert(cert: string): void {
  // Adds to the defaults (Node >= 22.19) instead of turning verification off for everything.
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), cert]);
}

/** A store whose calls fail with UNAVAILABLE while `outage.unavailable` is true. */
function withOutage(store: Store, outage: { unavailable: boolean }): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        if (outage.unavailable && prop !== 'close') return Promise.reject(new MixtapeError('UNAVAILABLE', 'the database is unavailable — try again in a minute'));
        return v.apply(target, args);
      };
    },
  });
}

async function openTestStore(database: 'sqlite' | 'postgres', options: HarnessOptions = {}): Promise<{ store: Store; cleanup: () => Promise<void> }> {
  if (database === 'postgres') {
    const schema = `bot_${process.pid}_${Date.now().toString(36)}`;
    const store = await openStore({ databaseUrl: `postgresql://postgres@${options.pgHost ?? '127.0.0.1:5432'}/test?schema=${schema}`, timeoutMs: options.storeTimeoutMs });
    return {
      store,
      cleanup: async () => {
        await store.close();
        const { default: pg } = await import('pg');
        const client = new pg.Client({ connectionString: 'postgresql://postgres@127.0.0.1:5432/test' });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'mixtape-bot-'));
  const store = await openStore({ databaseUrl: `file:${join(dir, 'test.db')}` });
  return { store, cleanup: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
}

/** Starts everything; call `stop()` in an `after` hook. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = new FakeDiscord();
  await fake.start();
  trustVoiceCert(fake.voice.tls.cert);
  const users: Record<string, FakeUser> = {};
  for (const name of ['alice', 'bob', 'carol', ...(options.users ?? [])]) users[name] = fake.addUser(name);
  users.admin = fake.addUser('admin', { admin: true });
  for (const [name, permissions] of Object.entries(options.members ?? {})) users[name] = fake.addUser(name, { permissions });
  const { store, cleanup } = await openTestStore(options.database ?? 'sqlite', options);
  const outage = { unavailable: false };
  const queue = createMemoryQueue({ concurrency: 2, maxQueue: 40, maxPerUser: 2, ...options.queue });
  const studio = options.studio ?? createTestStudio();
  const lines: string[] = [];
  const log = pino({ level: 'warn' }, { write: (l: string) => void lines.push(l) });
  const bot = await startBot(
    { discordToken: 'fake.bot.token-for-tests', discordApiUrl: fake.apiUrl, devGuildId: fake.guildId },
    { store: withOutage((options.wrapStore ?? ((s) => s))(store), outage), queue, studio, log, limits: { progressEditMs: 100, ...options.limits }, webUrl: options.webUrl },
  );
  return {
    fake, bot, store, outage, queue, studio, users, lines,
    async stop() {
      await bot.stop();
      await queue.close();
      await cleanup();
      await fake.stop();
    },
  };
}

/** Waits until the interaction's original message holds a finished track (files + buttons). */
export function trackPosted(fake: FakeDiscord, it: FakeInteraction, ms = 10000): Promise<FakeMessage> {
  return fake.waitFor(() => {
    const m = fake.original(it);
    return m && m.attachments.length >= 3 && m.components.length ? m : undefined;
  }, ms, 'a posted track');
}

/** Waits for the interaction's ephemeral answer. */
export function ephemeralAnswer(fake: FakeDiscord, it: FakeInteraction, ms = 10000): Promise<string> {
  return fake.waitFor(() => fake.ephemeral(it), ms, 'an ephemeral answer');
}

/** The track id in a posted track message's buttons. */
export function trackIdOf(m: FakeMessage): string {
  const id: string = m.components[0].components[0].custom_id;
  return id.split(':')[2];
}

/** Waits until the (non-ephemeral) original reply has some content. */
export function replyText(fake: FakeDiscord, it: FakeInteraction, pred: (text: string) => boolean, ms = 10000): Promise<string> {
  return fake.waitFor(() => {
    const m = fake.original(it);
    const text = m ? [m.content, ...m.embeds.map((e) => `${e.title ?? ''}\n${e.description ?? ''}\n${(e.fields ?? []).map((f: any) => `${f.name}: ${f.value}`).join('\n')}`)].join('\n') : '';
    return pred(text) ? text : undefined;
  }, ms, 'a reply');
}

/** Puts a user in (or out of) the voice channel and waits until the bot has seen it. */
export async function setVoice(h: Harness, user: FakeUser, inChannel: boolean): Promise<void> {
  h.fake.setVoice(user, inChannel ? h.fake.voiceChannelId : null);
  await h.fake.waitFor(() => {
    const state = h.bot.client.guilds.cache.get(h.fake.guildId)?.voiceStates.cache.get(user.id);
    return (state?.channelId ?? null) === (inChannel ? h.fake.voiceChannelId : null);
  }, 5000, 'voice state');
}

/** Polls an async condition every 20 ms until it is truthy; rejects after `ms`. */
export async function until<T>(fn: () => Promise<T | undefined | null | false>, ms = 5000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
