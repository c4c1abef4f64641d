/**
 * SHARDS=auto|N: discord.js's ShardingManager runs one process per shard (this same entry
 * point, which then logs in as that shard). Discord routes each guild to shard
 * (guild_id >> 22) % count; a guild's commands, buttons and voice stay in its shard's process,
 * while jobs, votes and leaderboards live in the shared queue and database.
 */
import { fileURLToPath } from 'node:url';
import { ShardingManager } from 'discord.js';
import type { Config } from '../config.ts';
import { createLogger } from '../log.ts';
import type { BotRole } from './main.ts';

/** The shard that owns a guild. @example shardOf('81384788765712384', 2) // 0 */
export function shardOf(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** Spawns the shard processes and runs until SIGINT/SIGTERM, which each shard gets to stop cleanly. */
export async function runShards(config: Config, role: BotRole): Promise<number> {
  const log = createLogger({ level: config.logLevel, name: 'shards' });
  const manager = new ShardingManager(fileURLToPath(new URL('./main.ts', import.meta.url)), {
    token: config.discordToken,
    totalShards: config.scale.shards ?? 'auto',
    mode: 'process',
    respawn: true,
    execArgv: process.execArgv,
  });
  // Shard children inherit this environment; the role tells them whether to run jobs.
  process.env.MIXTAPE_ROLE = role;
  manager.on('shardCreate', (shard) => {
    log.info({ shard: shard.id, of: manager.totalShards }, 'shard started');
    shard.on('death', () => log.warn({ shard: shard.id }, 'shard process ended'));
  });
  await manager.spawn({ timeout: 120_000 });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    manager.respawn = false;
    log.info({ signal }, 'stopping the shards');
    const children = [...manager.shards.values()].map((s) => s.process).filter((p) => p !== null);
    for (const child of children) child.kill(signal);
    const left = () => children.filter((c) => c.exitCode === null && c.signalCode === null).length;
    const timer = setInterval(() => { if (left() === 0) { clearInterval(timer); process.exit(0); } }, 100);
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return 0;
}
