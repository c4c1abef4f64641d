/** /models list|rename|delete|share: a member's personal models. */
import { EmbedBuilder, InteractionContextType, MessageFlags, SlashCommandBuilder } from 'discord.js';
import { MixtapeError } from '../../engine/errors.ts';
import type { ModelRecord } from '../../storage/types.ts';
import type { BotCommand, BotContext } from '../types.ts';
import { matchChoices } from '../options.ts';
import { formatBytes } from '../attachments.ts';

/** Names of the models a member may use (own + shared in the guild), for autocomplete. */
export async function modelNames(ctx: BotContext, userId: string, guildId: string | null): Promise<string[]> {
  const models = await ctx.store.listModels(userId, guildId ? { includeSharedInGuild: guildId } : undefined);
  return [...new Set(models.map((m) => m.name))];
}

/** One of the member's own models by name or id; a clear error otherwise. */
async function ownModel(ctx: BotContext, name: string, userId: string): Promise<ModelRecord> {
  const m = await ctx.store.getModel(name, userId);
  if (!m || m.ownerId !== userId) throw new MixtapeError('UNKNOWN_MODEL', `You have no model named "${name}". See /models list.`);
  return m;
}

const line = (m: ModelRecord, userId: string): string =>
  `**${m.name}** · ${m.baseGenre} · ${formatBytes(m.sizeBytes)}${m.shared ? ' · shared' : ''}${m.ownerId !== userId ? ` · by <@${m.ownerId}>` : ''} · <t:${Math.floor(m.createdAt.getTime() / 1000)}:R>`;

export const models: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('models')
    .setDescription('Your personal models')
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) => s.setName('list').setDescription('List your models and those shared here'))
    .addSubcommand((s) => s.setName('rename').setDescription('Rename one of your models')
      .addStringOption((o) => o.setName('name').setDescription('Model').setRequired(true).setAutocomplete(true))
      .addStringOption((o) => o.setName('new_name').setDescription('New name').setRequired(true).setMaxLength(40)))
    .addSubcommand((s) => s.setName('delete').setDescription('Delete one of your models')
      .addStringOption((o) => o.setName('name').setDescription('Model').setRequired(true).setAutocomplete(true)))
    .addSubcommand((s) => s.setName('share').setDescription('Share (or unshare) a model with this server')
      .addStringOption((o) => o.setName('name').setDescription('Model').setRequired(true).setAutocomplete(true))
      .addBooleanOption((o) => o.setName('shared').setDescription('true to share, false to stop sharing (default true)')))
    .toJSON(),

  async execute(i, ctx) {
    const sub = i.options.getSubcommand();
    const userId = i.user.id;
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    if (sub === 'list') {
      const list = await ctx.store.listModels(userId, { includeSharedInGuild: i.guildId! });
      const text = list.length ? list.slice(0, 25).map((m) => line(m, userId)).join('\n') : 'You have no models yet. Train one with /train.';
      await i.editReply({ embeds: [new EmbedBuilder().setTitle('Models').setDescription(text).setColor(0x8e44ad)] });
      return;
    }
    const model = await ownModel(ctx, i.options.getString('name', true), userId);
    if (sub === 'rename') {
      const renamed = await ctx.store.renameModel(model.id, userId, i.options.getString('new_name', true).trim());
      await i.editReply(`Renamed **${model.name}** to **${renamed.name}**.`);
    } else if (sub === 'delete') {
      const ok = await ctx.store.deleteModel(model.id, userId);
      await i.editReply(ok ? `Deleted **${model.name}**.` : `Could not delete **${model.name}**.`);
    } else if (sub === 'share') {
      const shared = i.options.getBoolean('shared') ?? true;
      await ctx.store.setModelShared(model.id, userId, shared, i.guildId!);
      await i.editReply(shared ? `**${model.name}** is now shared with this server: anyone can /compose model:${model.name}.` : `**${model.name}** is private again.`);
    }
  },

  async autocomplete(i, ctx) {
    const own = (await ctx.store.listModels(i.user.id)).map((m) => m.name);
    await i.respond(matchChoices(own, String(i.options.getFocused() ?? '')));
  },
};
