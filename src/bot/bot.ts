/**
 * Starting and stopping the bot: a discord.js Client (REST base configurable, so tests can
 * point it at a fake Discord), command registration, the dispatcher and voice.
 */
import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { BotCommand, BotConfig, BotContext, BotDeps } from './types.ts';
import { DEFAULT_LIMITS } from './types.ts';
import { commands as allCommands } from './commands/index.ts';
import { dispatch } from './dispatch.ts';
import { registerCommands } from './register.ts';
import { AudioCache } from './voice/audio-cache.ts';
import { VoiceManager } from './voice/manager.ts';
import { audioLoader } from './voice/loader.ts';
import { RadioManager } from './radio/manager.ts';
import { WeeklyScheduler } from '../record/scheduler.ts';
import { createDelivery } from '../delivery/rest.ts';
import { createLocalJobs, type LocalJobs } from '../queue/local-jobs.ts';
import type { JobRuntime } from '../jobs/runtime.ts';

/** The REST base when none is configured. */
export const DISCORD_API_URL = 'https://discord.com/api';

/** The runtime jobs use in this process: REST delivery, the bot's audio cache for voice. */
export function jobRuntime(config: BotConfig, deps: BotDeps, audio?: AudioCache): JobRuntime {
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  return {
    store: deps.store,
    studio: deps.studio,
    log: deps.log,
    limits,
    audio,
    webUrl: deps.webUrl,
    delivery: createDelivery({ apiUrl: config.discordApiUrl ?? DISCORD_API_URL, botToken: config.discordToken, log: deps.log }),
  };
}

export interface RunningBot {
  client: Client;
  ctx: BotContext;
  /** 'registered' or 'unchanged'. */
  registration: string;
  /** The weekly mixtape's scheduler, when one runs. */
  weekly?: WeeklyScheduler;
  /** Leaves voice, waits for running handlers, logs out. Does not close the store or queue. */
  stop(): Promise<void>;
}

/** True when this client runs the shard that owns the guild, (guild_id >> 22) % shard count. */
export function ownsGuild(client: Client, guildId: string): boolean {
  const count = client.options.shardCount ?? 1;
  const ids = Array.isArray(client.options.shards) ? client.options.shards : [0];
  return count <= 1 || ids.includes(Number((BigInt(guildId) >> 22n) % BigInt(count)));
}

/** Logs in, registers the commands (when changed) and starts answering interactions. */
export async function startBot(config: BotConfig, deps: BotDeps, commands: readonly BotCommand[] = allCommands): Promise<RunningBot> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildVoiceStates],
    ...(config.shards ? { shards: config.shards.ids, shardCount: config.shards.count } : {}),
    ...(config.discordApiUrl ? { rest: { api: config.discordApiUrl } } : {}),
  });
  const audio = new AudioCache(deps.limits?.audioCacheBytes ?? DEFAULT_LIMITS.audioCacheBytes);
  const voice = new VoiceManager({ client, log: deps.log, load: audioLoader({ client, store: deps.store, studio: deps.studio, audio }) });
  // Without a shared queue, jobs run here on the in-process scheduler, saved in the jobs table.
  const local: LocalJobs | undefined = deps.jobs
    ? undefined
    : createLocalJobs({ queue: deps.queue, runtime: jobRuntime(config, deps, audio), maxPerGuild: config.maxJobsPerGuild, owns: (guildId) => ownsGuild(client, guildId) });
  const ctx: BotContext = {
    client, store: deps.store, queue: deps.queue, jobs: deps.jobs ?? local!, studio: deps.studio, log: deps.log,
    limits: { ...DEFAULT_LIMITS, ...deps.limits }, voice, audio, radio: new RadioManager(), commands, webUrl: deps.webUrl,
  };
  const inFlight = new Set<Promise<void>>();
  client.on(Events.InteractionCreate, (i) => {
    const p = dispatch(i, ctx).finally(() => inFlight.delete(p));
    inFlight.add(p);
  });
  client.on(Events.VoiceStateUpdate, (oldState, newState) => voice.onVoiceStateUpdate(oldState, newState));
  client.on(Events.Error, (err) => deps.log.error({ err: err.message }, 'discord client error'));
  client.on(Events.ShardDisconnect, (_e, shard) => deps.log.warn({ shard }, 'gateway disconnected'));

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(config.discordToken);
  await ready;
  const appId = client.application!.id;
  const registration = config.registerCommands === false
    ? 'skipped'
    : await registerCommands(client.rest, appId, commands.map((c) => c.data), config.devGuildId || undefined);
  // Jobs a previous process left behind: run them now (each answers its member) or say they were lost.
  if (local) await local.resume().catch((err) => deps.log.error({ err }, 'could not resume saved jobs'));
  deps.log.info({ user: client.user?.tag, guilds: client.guilds.cache.size, registration, scope: config.devGuildId ? 'guild' : 'global' }, 'bot ready');
  // The weekly mixtape posts: started after ready (they post through this client); a failure here must not stop the bot.
  const weekly = deps.weekly === false ? undefined : new WeeklyScheduler({ deps: { store: deps.store, studio: deps.studio, log: deps.log, client }, ...deps.weekly });
  void weekly?.start().catch((err) => deps.log.error({ err: (err as Error).message }, 'could not start the weekly mixtape schedule'));

  return {
    client,
    ctx,
    registration,
    weekly,
    async stop() {
      await weekly?.stop();
      ctx.radio.destroyAll();
      voice.destroyAll();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => { timer = setTimeout(r, 5000); })]);
      clearTimeout(timer);
      await client.destroy();
    },
  };
}
