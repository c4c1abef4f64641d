/**
 * /settings: a server's configuration, for members with Manage Server. One subcommand per
 * entry of SETTINGS (src/settings), plus `show` and `log`; every change is stored with who
 * made it (audit log) and logged.
 */
import {
  ChannelType,
  EmbedBuilder,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
  type SlashCommandSubcommandBuilder,
} from 'discord.js';
import { MixtapeError } from '../../engine/errors.ts';
import { SETTINGS, checkSetting, configOf, formatSetting, settingDef, type SettingDef, type SettingValue } from '../../settings/index.ts';
import type { BotCommand } from '../types.ts';

const TEXT_CHANNELS = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;

/** The subcommand of one setting: a typed `value` option, or `reset` back to the default. */
function settingSubcommand(s: SlashCommandSubcommandBuilder, def: SettingDef): SlashCommandSubcommandBuilder {
  s.setName(def.name).setDescription(def.description.slice(0, 100));
  const about = 'New value (leave out to see the current one)';
  switch (def.kind) {
    case 'channel': s.addChannelOption((o) => o.setName('value').setDescription(about).addChannelTypes(...TEXT_CHANNELS)); break;
    case 'integer': s.addIntegerOption((o) => o.setName('value').setDescription(about).setMinValue(def.min).setMaxValue(def.max)); break;
    case 'boolean': s.addBooleanOption((o) => o.setName('value').setDescription(about)); break;
    case 'choice': s.addStringOption((o) => o.setName('value').setDescription(about).addChoices(...def.choices.map((c) => ({ name: c, value: c })))); break;
    case 'text': s.addStringOption((o) => o.setName('value').setDescription(`${about}: ${def.hint}`.slice(0, 100)).setMaxLength(def.maxLength)); break;
  }
  return s.addBooleanOption((o) => o.setName('reset').setDescription('true: back to the default'));
}

/** The value option as the member gave it; undefined when left out. */
function givenValue(i: ChatInputCommandInteraction, def: SettingDef): unknown {
  switch (def.kind) {
    case 'channel': {
      const c = i.options.getChannel('value');
      if (!c) return undefined;
      if (!(TEXT_CHANNELS as readonly ChannelType[]).includes(c.type)) throw new MixtapeError('BAD_ARGUMENT', `${def.name} must be a text channel of this server.`);
      return c.id;
    }
    case 'integer': return i.options.getInteger('value') ?? undefined;
    case 'boolean': return i.options.getBoolean('value') ?? undefined;
    default: return i.options.getString('value') ?? undefined;
  }
}

const builder = new SlashCommandBuilder()
  .setName('settings')
  .setDescription("This server's Mixtape settings (Manage Server)")
  .setContexts(InteractionContextType.Guild)
  // Discord hides the command from others; the handler checks again (server admins can change who sees it).
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .addSubcommand((s) => s.setName('show').setDescription('Every setting and its value'))
  .addSubcommand((s) => s.setName('log').setDescription('Recent changes and who made them'));
for (const def of SETTINGS as readonly SettingDef[]) builder.addSubcommand((s) => settingSubcommand(s, def));

export const settings: BotCommand = {
  data: builder.toJSON(),

  async execute(i, ctx) {
    // The permissions Discord computed for this interaction (roles and channel overwrites).
    if (!i.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
      throw new MixtapeError('BAD_ARGUMENT', 'Only members with Manage Server can change Mixtape settings.');
    }
    const guildId = i.guildId!;
    const sub = i.options.getSubcommand();
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    if (sub === 'show') {
      const config = configOf(await ctx.store.getSettings(guildId)) as Record<string, SettingValue>;
      const lines = (SETTINGS as readonly SettingDef[]).map((d) => `**${d.name}**: ${formatSetting(d, config[d.key])}\n-# ${d.description}`);
      await i.editReply({ embeds: [new EmbedBuilder().setTitle('⚙️ Mixtape settings').setColor(0x8e44ad).setDescription(lines.join('\n'))] });
      return;
    }
    if (sub === 'log') {
      const changes = await ctx.store.settingChanges(guildId, 15);
      const lines = changes.map((c) => {
        const def = settingDef(c.key);
        const value = def ? formatSetting(def, c.value as SettingValue) : JSON.stringify(c.value);
        return `<t:${Math.floor(c.createdAt.getTime() / 1000)}:f> <@${c.userId}> set **${def?.name ?? c.key}** to ${value}`;
      });
      await i.editReply({ embeds: [new EmbedBuilder().setTitle('⚙️ Setting changes').setColor(0x8e44ad).setDescription(lines.join('\n') || 'No changes yet.')] });
      return;
    }
    const def = settingDef(sub);
    if (!def) throw new MixtapeError('NOT_FOUND', 'This setting is no longer supported. See /settings show.');
    const reset = i.options.getBoolean('reset') === true;
    const given = givenValue(i, def);
    if (!reset && given === undefined) {
      const config = configOf(await ctx.store.getSettings(guildId)) as Record<string, SettingValue>;
      await i.editReply(`**${def.name}**: ${formatSetting(def, config[def.key])}\n-# ${def.description}`);
      return;
    }
    const value = reset ? null : checkSetting(def, given);
    await ctx.store.setSetting(guildId, def.key, value, i.user.id);
    ctx.log.info({ guildId, setting: def.key, value, by: i.user.id }, 'setting changed');
    await i.editReply(`✅ **${def.name}** is now ${formatSetting(def, value ?? def.default)}.`);
  },
};
