/** /nowplaying: the track playing now. */
import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { BotCommand } from '../types.ts';
import { clock } from '../track-message.ts';

export const nowplaying: BotCommand = {
  data: new SlashCommandBuilder().setName('nowplaying').setDescription('Show the track playing now').setContexts(InteractionContextType.Guild).toJSON(),

  async execute(i, ctx) {
    const current = ctx.voice.get(i.guildId!)?.current;
    await i.reply(current
      ? `🎶 Now playing **${current.title}** (${clock(ctx.voice.get(i.guildId!)!.elapsedSeconds)}), requested by <@${current.requestedBy}> · track \`${current.trackId}\``
      : 'Nothing is playing right now.');
  },
};
