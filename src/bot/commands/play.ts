/** /play [track]: play a track (default: your newest) in your voice channel. */
import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { MixtapeError } from '../../engine/errors.ts';
import type { BotCommand } from '../types.ts';
import { queueInVoice } from '../play-flow.ts';

export const play: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('play')
    .setDescription('Play a track in your voice channel (default: your newest)')
    .setContexts(InteractionContextType.Guild)
    .addStringOption((o) => o.setName('track').setDescription('Track id (shown under each piece)'))
    .toJSON(),

  async execute(i, ctx) {
    const id = i.options.getString('track')?.trim();
    await queueInVoice(i, ctx, async () => {
      if (id) {
        const track = await ctx.store.getTrack(id);
        if (!track || track.guildId !== i.guildId) throw new MixtapeError('NOT_FOUND', `No track "${id}" here (it may have been deleted).`);
        return [{ trackId: track.id, title: track.title, requestedBy: i.user.id }];
      }
      const profile = await ctx.store.userProfile(i.user.id, i.guildId!);
      const newest = profile.recentTracks[0];
      if (!newest) throw new MixtapeError('NOT_FOUND', 'You have no tracks yet. Make one with /compose, or give a track id.');
      return [{ trackId: newest.id, title: newest.title, requestedBy: i.user.id }];
    });
  },
};
