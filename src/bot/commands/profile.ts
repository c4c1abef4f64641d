/**
 * /profile view [user]: a member's tracks, votes received and models.
 * /profile delete: everything Mixtape keeps about you, removed after a confirmation.
 */
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
  type ButtonInteraction,
} from 'discord.js';
import { MixtapeError } from '../../engine/errors.ts';
import type { BotCommand, BotContext } from '../types.ts';
import { messageLink } from '../track-message.ts';
import { retireMessage } from './track.ts';

/** How long a delete confirmation stays valid. */
export const CONFIRM_MS = 5 * 60 * 1000;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The confirmation's buttons; the ids carry who asked and when. */
function confirmButtons(userId: string, issuedAt: number): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(`pd:yes:${userId}:${issuedAt}`).setLabel('Delete everything').setStyle(ButtonStyle.Danger),
    new ButtonBuilder().setCustomId(`pd:no:${userId}:${issuedAt}`).setLabel('Cancel').setStyle(ButtonStyle.Secondary),
  );
}

async function view(i: Parameters<BotCommand['execute']>[0], ctx: BotContext): Promise<void> {
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
}

export const profile: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('profile')
    .setDescription('Your Mixtape profile and data')
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) => s.setName('view').setDescription("A member's tracks and votes")
      .addUserOption((o) => o.setName('user').setDescription('Whose profile (default: yours)')))
    .addSubcommand((s) => s.setName('delete').setDescription('Delete all your tracks, votes, models and your profile (asks first)'))
    .toJSON(),

  async execute(i, ctx) {
    if (i.options.getSubcommand() === 'view') return view(i, ctx);
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    const s = await ctx.store.userDataSummary(i.user.id);
    await i.editReply({
      content: `⚠️ This deletes, in every server: **${plural(s.tracks, 'track')}** (their MIDI, audio and the votes on them), **${plural(s.votesCast, 'vote')}** you cast, **${plural(s.models, 'personal model')}** and your profile. It cannot be undone. The button works for 5 minutes.`,
      components: [confirmButtons(i.user.id, Date.now())],
    });
  },
};

/** The confirmation's buttons: only the member who asked, only in time. */
export async function profileDeleteButton(i: ButtonInteraction, ctx: BotContext): Promise<void> {
  const [, answer, userId, issued] = i.customId.split(':');
  if (userId !== i.user.id) throw new MixtapeError('BAD_ARGUMENT', 'Only the member who asked can confirm deleting their data.');
  if (answer === 'no') {
    await i.update({ content: 'Nothing was deleted.', components: [] });
    return;
  }
  if (!(Date.now() - Number(issued) <= CONFIRM_MS)) {
    await i.update({ content: 'This confirmation expired. Run /profile delete again.', components: [] });
    return;
  }
  await i.deferUpdate();
  const gone = await ctx.store.deleteUserData(i.user.id);
  // The tracks' messages lose their buttons (best effort, after the data is gone).
  for (const t of gone.messages) ctx.audio.delete(t.trackId);
  for (const t of gone.messages.slice(0, 50)) await retireMessage(ctx, t);
  const { messages, ...counts } = gone;
  ctx.log.info({ userId: i.user.id, ...counts, messages: messages.length }, 'member data deleted');
  await i.editReply({
    content: `🗑️ Deleted ${plural(gone.tracks, 'track')}, ${plural(gone.votesCast, 'vote')} you cast, ${plural(gone.models, 'model')} and your profile.`,
    components: [],
  });
}
