/** /skip: vote to skip; with others listening, 55% of the listeners must agree. */
import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { BotCommand } from '../types.ts';
import { memberOf } from '../guild.ts';

export const skip: BotCommand = {
  data: new SlashCommandBuilder().setName('skip').setDescription('Vote to skip the current track').setContexts(InteractionContextType.Guild).toJSON(),

  async execute(i, ctx) {
    const title = ctx.voice.get(i.guildId!)?.current?.title;
    const r = ctx.voice.voteSkip(memberOf(i));
    await i.reply(r.skipped ? `⏭️ Skipped **${title}**.` : `🗳️ Skip vote ${r.votes}/${r.needed} for **${title}**.`);
  },
};
