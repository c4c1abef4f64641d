/**
 * `npm start`: the Discord bot. Without a token it explains what to set and exits non-zero;
 * with one it opens the store (migrations), creates the queue and studio, logs in,
 * registers the commands and runs until SIGINT/SIGTERM.
 */
import { canStartBot, configFromEnvironment, missingTokenHelp, type Config } from '../config.ts';
import { createLogger } from '../log.ts';
import { openStore } from '../storage/index.ts';
import { createQueue } from '../queue/index.ts';
import { isMixtapeError } from '../engine/errors.ts';
import { startBot } from './bot.ts';
import { installProcessGuards } from './guards.ts';
import { DEFAULT_LIMITS, type BotLimits, type Studio } from './types.ts';
import { TRAIN_FILE_OPTIONS } from './commands/train.ts';
import { startWebFromConfig, webUrlOf } from '../web/start.ts';

export { startBot } from './bot.ts';

/** The bot's limits from the app config. */
export function botLimits(config: Config): BotLimits {
  return {
    ...DEFAULT_LIMITS,
    maxMidiBytes: config.limits.maxAttachmentBytes,
    maxTrainFiles: Math.min(config.limits.maxTrainFiles, TRAIN_FILE_OPTIONS),
  };
}

/** Runs the bot; resolves with an exit code when it cannot start. */
export async function main(): Promise<number> {
  let config: Config;
  try {
    config = configFromEnvironment();
  } catch (e) {
    console.error(isMixtapeError(e) ? e.message : String(e));
    return 1;
  }
  if (!canStartBot(config)) {
    console.error(missingTokenHelp());
    return 1;
  }
  const log = createLogger({ level: config.logLevel, name: 'bot' });
  installProcessGuards(log);
  try {
    const store = await openStore({ databaseUrl: config.databaseUrl });
    const queue = createQueue(config.limits);
    const studioModule = await import('../studio/index.ts');
    const studio: Studio = studioModule;
    // Networks compose in a worker thread: the gateway heartbeat and other members' clicks
    // are never held up by a generation.
    studioModule.useGenerationWorker();
    // Models and the SoundFont load in the background: the bot answers meanwhile.
    void studioModule.warmUp(config.soundfont).then((w) => log.info(w, 'studio warmed up'));
    // The web pages (WEB_PORT): track links, the server's mixtape, login and web votes.
    const web = config.web.port !== undefined ? await startWebFromConfig(config, store, log.child({ name: 'web' }), config.web.port) : undefined;
    const bot = await startBot(
      { discordToken: config.discordToken!, discordApiUrl: config.discordApiUrl, devGuildId: config.devGuildId, maxJobsPerGuild: config.limits.maxJobsPerGuild },
      { store, queue, studio, log, limits: botLimits(config), webUrl: webUrlOf(config) },
    );
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'shutting down');
      await bot.stop().catch((err) => log.warn({ err: err.message }, 'stop failed'));
      await bot.ctx.jobs.close().catch(() => undefined);
      await web?.app.close().catch(() => undefined);
      await queue.close().catch(() => undefined);
      await store.close().catch(() => undefined);
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    return 0;
  } catch (e) {
    // Never the token: discord.js's login error names no secret, and our messages neither.
    log.fatal({ err: isMixtapeError(e) ? e.message : (e as Error).message }, 'could not start the bot');
    return 1;
  }
}

if (import.meta.main) {
  main().then((code) => {
    if (code !== 0) process.exit(code);
  });
}
