/** /queue: what plays now and next. */
import { EmbedBuilder, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { BotCommand } from '../types.ts';
import { clock } from '../track-message.ts';

export const queue: BotCommand = {
  data: new SlashCommandBuilder().setName('queue').setDescription('Show the voice queue').setContexts(InteractionContextType.Guild).toJSON(),

  async execute(i, ctx) {
    const player = ctx.voice.get(i.guildId!);
    if (!player || !player.current) {
      await i.reply('The queue is empty. Use /play or /mixtape play.');
      return;
    }
    const next = player.queue.slice(0, 15).map((t, n) => `${n + 1}. **${t.title}** · <@${t.requestedBy}>`);
    const more = player.queue.length > 15 ? `\n…and ${player.queue.length - 15} more` : '';
    await i.reply({
      embeds: [new EmbedBuilder().setTitle('Queue').setColor(0x8e44ad)
        .setDescription(`Now: **${player.current.title}** (${clock(player.elapsedSeconds)})\n${next.join('\n') || 'Nothing after this one.'}${more}`)],
    });
  },
};
