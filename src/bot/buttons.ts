/** The buttons under a track: vote up/down, play in voice, variation, extend. */
import type { ButtonInteraction } from 'discord.js';
import { MixtapeError } from '../engine/errors.ts';
import type { BotContext } from './types.ts';
import { profileDeleteButton } from './commands/profile.ts';
import { composeAndPost, ensureMember, planFromTrack } from './compose-flow.ts';
import { queueInVoice } from './play-flow.ts';
import { randomSeed } from './options.ts';
import { parseButtonId, trackComponents, withScore } from './track-message.ts';

const DELETED = 'This track was deleted, so it can no longer be voted on or reused.';

/** Handles a click on one of a track's buttons. */
export async function trackButton(i: ButtonInteraction, ctx: BotContext): Promise<void> {
  const parsed = parseButtonId(i.customId);
  if (!parsed) throw new MixtapeError('BAD_ARGUMENT', 'This button is no longer supported.');
  const { action, trackId } = parsed;
  if (action === 'up' || action === 'down') {
    await ensureMember(ctx.store, i.user.id, i.user.username, i.guildId!);
    let tally;
    try {
      // Setting (not toggling) the vote makes double clicks harmless.
      tally = await ctx.store.vote(trackId, i.user.id, action === 'up' ? 1 : -1);
    } catch (e) {
      if (e instanceof MixtapeError && e.code === 'NOT_FOUND') throw new MixtapeError('NOT_FOUND', DELETED);
      throw e;
    }
    await i.update({ embeds: [withScore(i.message.embeds[0]?.toJSON(), tally)], components: trackComponents(trackId, tally, ctx.webUrl) });
    ctx.radio.vote(i.guildId!, trackId, action === 'up' ? 1 : -1); // a vote on the piece on air steers the radio
    return;
  }
  if (action === 'play') {
    await queueInVoice(i, ctx, async () => {
      const t = await ctx.store.getTrack(trackId);
      if (!t) throw new MixtapeError('NOT_FOUND', DELETED);
      return [{ trackId: t.id, title: t.title, requestedBy: i.user.id }];
    });
    return;
  }
  const t = await ctx.store.getTrack(trackId);
  if (!t) throw new MixtapeError('NOT_FOUND', DELETED);
  if (t.guildId !== i.guildId) throw new MixtapeError('NOT_FOUND', DELETED);
  // The clicker composes, with the clicker's rights (their models, this server's shared ones).
  await composeAndPost(i, ctx, planFromTrack(t, randomSeed(), action === 'ext', { instruments: ctx.studio.listInstruments() }));
}

/** Button handlers by custom id prefix (`prefix:...`). */
export const buttonHandlers: Record<string, (i: ButtonInteraction, ctx: BotContext) => Promise<void>> = {
  mt: trackButton,
  pd: profileDeleteButton,
};
