/** Putting tracks in the caller's voice channel (/play, /mixtape play, the play button). */
import type { RepliableInteraction } from 'discord.js';
import type { BotContext } from './types.ts';
import type { QueueItem } from './voice/player.ts';
import { memberOf } from './guild.ts';
import { replyError } from './replies.ts';

/** Joins the caller's channel and queues `items`; the caller must be in a voice channel. */
export async function queueInVoice(i: RepliableInteraction, ctx: BotContext, items: () => Promise<QueueItem[]>): Promise<void> {
  const member = memberOf(i);
  ctx.voice.memberChannel(member); // not in voice: an ephemeral answer at once, before deferring
  await i.deferReply();
  try {
    const list = await items();
    const player = await ctx.voice.join(member);
    const position = player.enqueue(list);
    const names = list.slice(0, 5).map((t) => `**${t.title}**`).join(', ') + (list.length > 5 ? ` and ${list.length - 5} more` : '');
    await i.editReply(position === 0 ? `▶️ Playing ${names} in <#${player.channelId}>.` : `➕ Queued ${names} (position ${position}).`);
  } catch (e) {
    await replyError(i, e, ctx.log);
  }
}
