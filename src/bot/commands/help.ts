/** /help: what Mixtape can do. */
import { EmbedBuilder, InteractionContextType, MessageFlags, SlashCommandBuilder, type APIApplicationCommandOption } from 'discord.js';
import type { BotCommand } from '../types.ts';

/** `/name` or `/name sub` lines with their descriptions. */
export function helpLines(commands: readonly BotCommand[]): string[] {
  return commands.flatMap((c) => {
    const subs = (c.data.options ?? []).filter((o: APIApplicationCommandOption) => o.type === 1);
    return subs.length ? subs.map((s) => `**/${c.data.name} ${s.name}** · ${s.description}`) : [`**/${c.data.name}** · ${c.data.description}`];
  });
}

export const help: BotCommand = {
  data: new SlashCommandBuilder().setName('help').setDescription('What Mixtape can do').setContexts(InteractionContextType.Guild).toJSON(),

  async execute(i, ctx) {
    await i.reply({
      flags: MessageFlags.Ephemeral,
      embeds: [new EmbedBuilder().setTitle('🎹 Mixtape').setColor(0x8e44ad).setDescription(
        `Mixtape composes music with neural networks. Under each piece: 👍/👎 to vote, ▶️ to play it in voice, 🎲 for a variation, ➕ to extend it.\n\n${helpLines(ctx.commands).join('\n')}\n\nGenres: ${ctx.studio.listGenres().join(', ')}`,
      )],
    });
  },
};
