/**
 * The web benchmark: a server's mixtape page with 10,000 tracks and about 30,000 votes in the
 * database (all inside the week window, the heaviest case), requested over HTTP on 127.0.0.1.
 * Prints the median and 95th percentile; the target is a median under 100 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { writeMidi } from '../engine/midi.ts';
import { openStore } from '../storage/index.ts';
import type { MediaSource } from './media.ts';
import { startWebServer } from './server.ts';

export interface WebBenchResult {
  tracks: number;
  votes: number;
  requests: number;
  medianMs: number;
  p95Ms: number;
  trackPageMedianMs: number;
  /** CPU time this process spent per mixtape page (server and client together): robust to a busy machine. */
  cpuMedianMs: number;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

/** Fills a fresh SQLite database and times the pages. */
export async function benchWeb(options: { tracks?: number; requests?: number } = {}): Promise<WebBenchResult> {
  const tracks = options.tracks ?? 10_000;
  const requests = options.requests ?? 200;
  const dir = mkdtempSync(join(tmpdir(), 'mixtape-webbench-'));
  const path = join(dir, 'bench.db');
  const store = await openStore({ databaseUrl: `file:${path}` });
  const guildId = '900000000000000001';
  try {
    for (let k = 0; k < 100; k++) await store.upsertUser(String(100000 + k), `member ${k}`);
    await store.upsertGuild(guildId);
    await store.setSetting(guildId, 'publicPages', true, '100000');
    const midi = writeMidi({
      title: 'bench', tracks: [{ name: 'Lead', program: 0, isDrum: false, notes: Array.from({ length: 64 }, (_, i) => ({ pitch: 60 + (i % 12), start: i / 2, duration: 0.5, velocity: 80 })) }],
      tempos: [{ beat: 0, bpm: 120 }], timeSignatures: [{ beat: 0, numerator: 4, denominator: 4 }], lengthBeats: 32,
    });
    const template = await store.createTrack({ guildId, authorId: '100000', title: 'The Bench Reel', genre: 'celtic', bars: 8, tempo: 112, seed: 1, temperature: 0.9, instrument: 'default', midi });
    await store.vote(template.id, '100001', 1);
    // Bulk rows copied from the template rows, so dates are stored exactly as the store stores them.
    const { createClient } = await import('@libsql/client');
    const db = createClient({ url: `file:${path}` });
    await db.execute({
      sql: `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
        INSERT INTO tracks (id, guild_id, channel_id, message_id, author_id, title, genre, model_id, bars, tempo, seed, temperature, instrument, params, midi, parent_track_id, created_at, deleted_at)
        SELECT 'bench' || i, guild_id, channel_id, message_id, CAST(100000 + i % 100 AS TEXT), 'Tune ' || i,
               CASE i % 6 WHEN 0 THEN 'celtic' WHEN 1 THEN 'jazz' WHEN 2 THEN 'classical' WHEN 3 THEN 'game' WHEN 4 THEN 'pop' ELSE 'dance' END,
               NULL, bars, tempo, i, temperature, instrument, params, midi, NULL, created_at, NULL
        FROM n, tracks WHERE tracks.id = ?`,
      args: [tracks - 1, template.id],
    });
    await db.execute({
      sql: `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?), k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 6)
        INSERT INTO votes (track_id, user_id, value, created_at, updated_at)
        SELECT 'bench' || i, CAST(100000 + (i + j + 1) % 100 AS TEXT), CASE WHEN (i * 7 + j) % 5 = 0 THEN -1 ELSE 1 END, v.created_at, v.updated_at
        FROM n, k, votes v WHERE j < i % 7 AND v.track_id = ?`,
      args: [tracks - 1, template.id],
    });
    const votes = Number((await db.execute('SELECT COUNT(*) AS c FROM votes')).rows[0].c);
    db.close();
    const media: MediaSource = { audio: async () => new Uint8Array(0) };
    const { app, url } = await startWebServer({ store, log: pino({ level: 'silent' }), media, port: 0, host: '127.0.0.1', sessionSecret: 'x'.repeat(32) });
    try {
      const cpu: number[] = [];
      const time = async (path: string) => {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const res = await fetch(`${url}${path}`);
        await res.text();
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
        const wall = performance.now() - t0;
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 1000);
        return wall;
      };
      for (let i = 0; i < 5; i++) await time(`/g/${guildId}`); // warm-up
      const ms: number[] = [];
      cpu.length = 0;
      for (let i = 0; i < requests; i++) ms.push(await time(`/g/${guildId}?period=${['week', 'month', 'all'][i % 3]}`));
      const cpuMedianMs = quantile(cpu, 0.5);
      const trackMs: number[] = [];
      for (let i = 0; i < 50; i++) trackMs.push(await time(`/t/bench${1 + ((i * 97) % (tracks - 1))}`));
      return { tracks, votes, requests, medianMs: quantile(ms, 0.5), p95Ms: quantile(ms, 0.95), trackPageMedianMs: quantile(trackMs, 0.5), cpuMedianMs };
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
