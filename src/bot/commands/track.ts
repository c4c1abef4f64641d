/** /track info|delete: one track's details, or deleting it (its author or a moderator). */
import { EmbedBuilder, InteractionContextType, MessageFlags, SlashCommandBuilder } from 'discord.js';
import { MixtapeError } from '../../engine/errors.ts';
import type { BotCommand, BotContext } from '../types.ts';
import type { TrackRecord } from '../../storage/types.ts';
import { isModerator } from '../guild.ts';
import { messageLink, scoreText } from '../track-message.ts';

/** Marks a deleted track's message as deleted (buttons removed); best effort. */
export async function retireMessage(ctx: BotContext, track: Pick<TrackRecord, 'channelId' | 'messageId'>): Promise<void> {
  if (!track.channelId || !track.messageId) return;
  try {
    const channel = await ctx.client.channels.fetch(track.channelId);
    if (!channel?.isTextBased()) return;
    const message = await channel.messages.fetch(track.messageId);
    await message.edit({ content: '🗑️ This track was deleted.', components: [] });
  } catch (err) {
    ctx.log.debug({ err: (err as Error).message }, 'could not edit a deleted track message');
  }
}

export const track: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('track')
    .setDescription('A track: details or delete')
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) => s.setName('info').setDescription("A track's details")
      .addStringOption((o) => o.setName('id').setDescription('Track id (under each piece)').setRequired(true)))
    .addSubcommand((s) => s.setName('delete').setDescription('Delete one of your tracks')
      .addStringOption((o) => o.setName('id').setDescription('Track id (under each piece)').setRequired(true)))
    .toJSON(),

  async execute(i, ctx) {
    const id = i.options.getString('id', true).trim();
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    const t = await ctx.store.getTrack(id);
    if (!t || t.guildId !== i.guildId) throw new MixtapeError('NOT_FOUND', `No track "${id}" here (it may have been deleted).`);
    if (i.options.getSubcommand() === 'delete') {
      const ok = await ctx.store.deleteTrack(t.id, i.user.id, isModerator(i));
      if (!ok) throw new MixtapeError('BAD_ARGUMENT', 'Only the author of a track (or a moderator) can delete it.');
      ctx.audio.delete(t.id);
      await retireMessage(ctx, t);
      await i.editReply(`🗑️ Deleted **${t.title}**.`);
      return;
    }
    const tally = await ctx.store.trackScore(t.id);
    const link = t.channelId && t.messageId ? `\n[Go to the message](${messageLink(t.guildId, t.channelId, t.messageId)})` : '';
    await i.editReply({
      embeds: [new EmbedBuilder().setTitle(t.title).setColor(0x8e44ad).setDescription(
        `By <@${t.authorId}> · ${t.genre} · ${t.instrument}\n${t.bars} bars · ${Math.round(t.tempo)} bpm · seed ${t.seed} · temperature ${t.temperature.toFixed(2)}\nScore ${scoreText(tally)}${t.parentTrackId ? `\nFrom track \`${t.parentTrackId}\`` : ''}${link}`,
      ).setFooter({ text: `track ${t.id}` }).setTimestamp(t.createdAt)],
    });
  },
};
