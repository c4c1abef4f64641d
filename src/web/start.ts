/** Starting the web pages from the app config (`npm start` with WEB_PORT, and `mixtape web`). */
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Store } from '../storage/types.ts';
import { renderedMedia } from './media.ts';
import { startWebServer } from './server.ts';

/** The public base URL of the pages: WEB_URL, else this machine on the port. */
export const webUrlOf = (config: Config, port = config.web.port): string | undefined =>
  config.web.publicUrl ?? (port ? `http://localhost:${port}` : undefined);

/**
 * Starts the web server for a config. Login works when DISCORD_APP_ID and DISCORD_CLIENT_SECRET
 * are set; web votes update the bot's messages when DISCORD_TOKEN is set.
 */
export async function startWebFromConfig(config: Config, store: Store, log: Logger, port = config.web.port ?? 8080) {
  const oauth = config.discordAppId && config.web.clientSecret
    ? { clientId: config.discordAppId, clientSecret: config.web.clientSecret, authorizeUrl: config.web.oauthAuthorizeUrl, apiUrl: config.discordApiUrl }
    : undefined;
  if (!oauth) log.warn('Discord login is off: set DISCORD_APP_ID and DISCORD_CLIENT_SECRET to let members log in');
  const publicUrl = webUrlOf(config, port);
  return startWebServer({
    store,
    log,
    port,
    media: renderedMedia({ soundfont: config.soundfont }),
    publicUrl: config.web.publicUrl,
    sessionSecret: config.web.sessionSecret,
    oauth,
    discord: config.discordToken ? { token: config.discordToken, apiUrl: config.discordApiUrl, webUrl: publicUrl } : undefined,
  });
}
