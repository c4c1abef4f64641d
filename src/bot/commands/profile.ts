/** /profile [user]: a member's tracks, votes received and models. */
import { EmbedBuilder, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { BotCommand } from '../types.ts';
import { messageLink } from '../track-message.ts';

export const profile: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('profile')
    .setDescription("A member's tracks and votes")
    .setContexts(InteractionContextType.Guild)
    .addUserOption((o) => o.setName('user').setDescription('Whose profile (default: yours)'))
    .toJSON(),

  async execute(i, ctx) {
    const user = i.options.getUser('user') ?? i.user;
    await i.deferReply();
    const p = await ctx.store.userProfile(user.id, i.guildId!);
    const recent = p.recentTracks.map((t) =>
      `• ${t.channelId && t.messageId ? `[${t.title}](${messageLink(i.guildId!, t.channelId, t.messageId)})` : t.title} · ${t.genre} · ${t.score > 0 ? '+' : ''}${t.score}`);
    await i.editReply({
      embeds: [new EmbedBuilder().setTitle(`🎧 ${user.username}`).setColor(0x8e44ad).addFields(
        { name: 'Tracks', value: String(p.tracks), inline: true },
        { name: 'Votes received', value: `👍 ${p.votesReceived.up} · 👎 ${p.votesReceived.down}`, inline: true },
        { name: 'Models', value: String(p.models), inline: true },
        { name: 'Recent', value: recent.join('\n') || 'No tracks yet. Try /compose!' },
      )],
    });
  },
};
