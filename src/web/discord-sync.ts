/**
 * After a vote on the web, the track's message in Discord shows the new count: the embed's
 * score field and the vote buttons' labels are edited over REST with the bot token.
 */
import { REST, Routes, type APIMessage } from 'discord.js';
import type { Logger } from 'pino';
import type { TrackRecord, VoteTally } from '../storage/types.ts';
import { trackComponents, withScore } from '../bot/track-message.ts';

export interface DiscordLink {
  token: string;
  apiUrl: string;
  /** The web's public base URL, for the message's "Open" button. */
  webUrl?: string;
}

/** Edits the track message's score; failures are logged (never the token) and swallowed. */
export async function refreshTrackMessage(link: DiscordLink, track: TrackRecord, tally: VoteTally, log: Logger): Promise<boolean> {
  if (!track.channelId || !track.messageId) return false;
  const rest = new REST({ api: link.apiUrl, timeout: 5000, retries: 1 }).setToken(link.token);
  try {
    const route = Routes.channelMessage(track.channelId, track.messageId);
    const msg = (await rest.get(route)) as APIMessage;
    await rest.patch(route, {
      body: {
        embeds: [withScore(msg.embeds[0], tally).toJSON()],
        components: trackComponents(track.id, tally, link.webUrl).map((r) => r.toJSON()),
      },
    });
    return true;
  } catch (e) {
    log.warn({ trackId: track.id, err: (e as Error).message }, 'could not update the track message after a web vote');
    return false;
  }
}
