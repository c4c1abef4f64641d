/** /mixtape top|play|record: the guild's leaderboard, playing its best tracks, and recording them as one file. */
import { EmbedBuilder, InteractionContextType, SlashCommandBuilder, type SlashCommandSubcommandBuilder } from 'discord.js';
import { MixtapeError } from '../../engine/errors.ts';
import type { LeaderboardEntry, LeaderboardQuery } from '../../storage/types.ts';
import type { BotCommand } from '../types.ts';
import { matchChoices, pickKnown } from '../options.ts';
import { queueInVoice } from '../play-flow.ts';
import { messageLink } from '../track-message.ts';
import { replyError } from '../replies.ts';
import { recordTop } from '../../record/weekly.ts';

const DAY = 24 * 60 * 60 * 1000;
export const PERIODS = { week: 7 * DAY, month: 30 * DAY, all: 0 } as const;
export type Period = keyof typeof PERIODS;

/** The start of a period. @example since('all') // undefined */
export function since(period: Period, now = Date.now()): Date | undefined {
  return PERIODS[period] ? new Date(now - PERIODS[period]) : undefined;
}

const filters = (s: SlashCommandSubcommandBuilder) =>
  s.addStringOption((o) => o.setName('period').setDescription('Votes from (default week)').addChoices(
    { name: 'this week', value: 'week' }, { name: 'this month', value: 'month' }, { name: 'all time', value: 'all' }))
    .addStringOption((o) => o.setName('genre').setDescription('Only this genre').setAutocomplete(true));

/** One leaderboard line. */
export function leaderboardLine(e: LeaderboardEntry, guildId: string): string {
  const title = e.channelId && e.messageId ? `[${e.title}](${messageLink(guildId, e.channelId, e.messageId)})` : e.title;
  return `**${e.rank}.** ${title} · <@${e.authorId}> · ${e.genre} · **${e.score > 0 ? '+' : ''}${e.score}** (👍 ${e.up} · 👎 ${e.down})`;
}

export const mixtape: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('mixtape')
    .setDescription("The server's best pieces")
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) => filters(s.setName('top').setDescription('Leaderboard of the top-voted pieces')))
    .addSubcommand((s) => filters(s.setName('play').setDescription('Play the top pieces in your voice channel'))
      .addIntegerOption((o) => o.setName('count').setDescription('How many (1-10, default 5)').setMinValue(1).setMaxValue(10)))
    .addSubcommand((s) => filters(s.setName('record').setDescription('The top pieces as one recording (Ogg and MP3) with a tracklist')))
    .toJSON(),

  async execute(i, ctx) {
    const period = (i.options.getString('period') ?? 'week') as Period;
    if (!(period in PERIODS)) throw new MixtapeError('BAD_ARGUMENT', 'period must be week, month or all.');
    const genreRaw = i.options.getString('genre');
    const genre = genreRaw ? pickKnown(genreRaw, ctx.studio.listGenres(), 'genre') : undefined;
    const query = (limit: number): LeaderboardQuery => ({ guildId: i.guildId!, since: since(period), genre, limit });
    if (i.options.getSubcommand() === 'play') {
      const count = i.options.getInteger('count') ?? 5;
      if (count < 1 || count > 10) throw new MixtapeError('BAD_ARGUMENT', 'count must be from 1 to 10.');
      await queueInVoice(i, ctx, async () => {
        const top = await ctx.store.leaderboard(query(count));
        if (!top.length) throw new MixtapeError('NOT_FOUND', 'No voted tracks in that period yet. Vote with 👍 on pieces first.');
        return top.map((e) => ({ trackId: e.trackId, title: e.title, requestedBy: i.user.id }));
      });
      return;
    }
    if (i.options.getSubcommand() === 'record') {
      await i.deferReply();
      try {
        const label = period === 'all' ? 'of all time' : `of the ${period}`;
        const rec = await recordTop(ctx, { guildId: i.guildId!, since: since(period), genre, label });
        await i.editReply({ content: `📼 Recorded for <@${i.user.id}>:`, embeds: rec.embeds, files: rec.files });
      } catch (e) {
        await replyError(i, e, ctx.log);
      }
      return;
    }
    await i.deferReply();
    const top = await ctx.store.leaderboard(query(10));
    const label = period === 'all' ? 'of all time' : `of the ${period}`;
    const embed = new EmbedBuilder()
      .setTitle(`🏆 Mixtape ${label}${genre ? ` · ${genre}` : ''}`)
      .setColor(0xf1c40f)
      .setDescription(top.length ? top.map((e) => leaderboardLine(e, i.guildId!)).join('\n') : 'No votes yet. Vote with 👍 under the pieces you like!');
    // The title links to the web page with players and "play all", when the web is served.
    if (ctx.webUrl) embed.setURL(`${ctx.webUrl.replace(/\/+$/, '')}/g/${i.guildId}?period=${period}${genre ? `&genre=${encodeURIComponent(genre)}` : ''}`);
    await i.editReply({ embeds: [embed] });
  },

  async autocomplete(i, ctx) {
    await i.respond(matchChoices(ctx.studio.listGenres(), String(i.options.getFocused() ?? '')));
  },
};
