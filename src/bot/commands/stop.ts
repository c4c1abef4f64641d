/** /stop: stop the music, clear the queue and leave the channel. */
import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { BotCommand } from '../types.ts';
import { memberOf } from '../guild.ts';

export const stop: BotCommand = {
  data: new SlashCommandBuilder().setName('stop').setDescription('Stop the music and leave the voice channel').setContexts(InteractionContextType.Guild).toJSON(),

  async execute(i, ctx) {
    ctx.voice.controlled(memberOf(i)).close();
    await i.reply('⏹️ Stopped and left the channel.');
  },
};
