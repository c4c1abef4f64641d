/**
 * The mixtape as one recording: the top tracks of a period (per server, or per genre on
 * request) rendered with cross-fades, and the message that posts it with its tracklist. The
 * weekly post claims its (guild, week) row first, so a week is posted once whatever restarts.
 */
import { AttachmentBuilder, EmbedBuilder, type Client } from 'discord.js';
import type { Logger } from 'pino';
import { MixtapeError } from '../engine/errors.ts';
import type { LeaderboardEntry, Store } from '../storage/types.ts';
import type { Studio } from '../bot/types.ts';
import { readSettings } from '../settings/index.ts';
import { clock, messageLink } from '../bot/track-message.ts';
import { dueInWeek, isoWeek, parseWeeklyTime } from './schedule.ts';

/** Tracks in a recording. */
export const RECORD_TRACKS = 10;
/** Seconds each piece overlaps the next. */
export const CROSSFADE_SECONDS = 3;
/** A claim that never posted is taken over after this long (the process died mid-way). */
export const STALE_CLAIM_MS = 30 * 60 * 1000;
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export interface RecordDeps {
  store: Store;
  studio: Studio;
  log: Logger;
}

export interface RecordRequest {
  guildId: string;
  since?: Date;
  genre?: string;
  limit?: number;
  /** "of the week", "of the month"... for the title. */
  label: string;
}

/** A recording ready to post. */
export interface RecordingMessage {
  content: string;
  embeds: EmbedBuilder[];
  files: AttachmentBuilder[];
  durationSeconds: number;
}

/** The tracklist lines: start time, title (linked), author, score. */
export function tracklist(entries: readonly LeaderboardEntry[], starts: readonly number[], guildId: string): string[] {
  return entries.map((e, k) => {
    const title = e.channelId && e.messageId ? `[${e.title}](${messageLink(guildId, e.channelId, e.messageId)})` : e.title;
    return `\`${clock(starts[k] ?? 0)}\` **${k + 1}.** ${title} · <@${e.authorId}> · ${e.score > 0 ? '+' : ''}${e.score}`;
  });
}

/** Renders the top tracks into one recording and builds its message. NOT_FOUND when nothing was voted. */
export async function recordTop(deps: RecordDeps, r: RecordRequest): Promise<RecordingMessage> {
  if (!deps.studio.recordMixtape) throw new MixtapeError('UNAVAILABLE', 'Recording the mixtape is not available on this bot.');
  const top = (await deps.store.leaderboard({ guildId: r.guildId, since: r.since, genre: r.genre, limit: r.limit ?? RECORD_TRACKS })).filter((e) => e.score > 0);
  if (!top.length) throw new MixtapeError('NOT_FOUND', 'No voted tracks in that period yet. Vote with 👍 on pieces first.');
  const tracks = [];
  for (const e of top) {
    const t = await deps.store.getTrack(e.trackId);
    if (t) tracks.push({ entry: e, piece: { title: t.title, midi: t.midi, instrument: t.instrument } });
  }
  const recording = await deps.studio.recordMixtape(tracks.map((t) => t.piece), { crossfadeSeconds: CROSSFADE_SECONDS, formats: ['ogg', 'mp3'] });
  const entries = tracks.map((t) => t.entry);
  const name = `mixtape-${r.label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}${r.genre ? `-${r.genre}` : ''}`;
  return {
    content: '',
    embeds: [new EmbedBuilder()
      .setTitle(`📼 Mixtape ${r.label}${r.genre ? ` · ${r.genre}` : ''}`)
      .setColor(0xf1c40f)
      .setDescription(tracklist(entries, recording.starts, r.guildId).join('\n').slice(0, 4000))
      .setFooter({ text: `${entries.length} tracks · ${clock(recording.durationSeconds)} · ${recording.crossfadeSeconds} s cross-fades` })],
    files: recording.audio.map((a) => new AttachmentBuilder(Buffer.from(a.bytes), { name: `${name}.${a.format}` })),
    durationSeconds: recording.durationSeconds,
  };
}

export type WeeklyOutcome = 'posted' | 'not-scheduled' | 'not-due' | 'already-posted' | 'no-channel' | 'nothing-voted';

export interface WeeklyDeps extends RecordDeps {
  client: Client;
}

/**
 * Posts the guild's weekly recording when its time this week has come and nobody posted it
 * yet. Claim, record, post, then mark posted; a failure gives the claim back (a later tick
 * retries). A week with no voted tracks is marked done without a post.
 */
export async function postWeekly(deps: WeeklyDeps, guildId: string, now: Date): Promise<WeeklyOutcome> {
  const config = await readSettings(deps.store, guildId);
  const when = parseWeeklyTime(config.weeklyMixtape);
  if (!when) return 'not-scheduled';
  const due = dueInWeek(now, when);
  if (now < due) return 'not-due';
  const channelId = config.weeklyChannel ?? config.mixtapeChannel;
  if (!channelId) return 'no-channel';
  const week = isoWeek(now);
  if (!(await deps.store.claimWeeklyPost(guildId, week, STALE_CLAIM_MS))) return 'already-posted';
  try {
    let message: RecordingMessage;
    try {
      message = await recordTop(deps, { guildId, since: new Date(due.getTime() - WEEK_MS), label: `of the week ${week}` });
    } catch (e) {
      if (e instanceof MixtapeError && e.code === 'NOT_FOUND') {
        await deps.store.finishWeeklyPost(guildId, week, channelId, 'none'); // nothing to post this week: done
        return 'nothing-voted';
      }
      throw e;
    }
    const channel = await deps.client.channels.fetch(channelId);
    if (!channel?.isSendable()) throw new Error(`cannot post in channel ${channelId}`);
    const sent = await channel.send({ content: `📼 This week's mixtape, ${clock(message.durationSeconds)} of the server's favourite pieces:`, embeds: message.embeds, files: message.files });
    await deps.store.finishWeeklyPost(guildId, week, channelId, sent.id);
    deps.log.info({ guildId, week, messageId: sent.id }, 'weekly mixtape posted');
    return 'posted';
  } catch (e) {
    await deps.store.releaseWeeklyPost(guildId, week).catch(() => undefined);
    throw e;
  }
}
