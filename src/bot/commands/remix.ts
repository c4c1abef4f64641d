/**
 * /remix track effect [seed] [amount] [semitones] [factor]: a new track made from one of the
 * server's tracks by a seeded transformation (curves on the notes or spectral effects on the
 * sound), linked to it; the same seed gives the same remix. Runs as a `remix` job.
 */
import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { MixtapeError } from '../../engine/errors.ts';
import { REMIX_DESCRIPTIONS, REMIX_EFFECTS, checkRemix, type RemixEffect } from '../../studio/remix-effects.ts';
import type { BotCommand } from '../types.ts';
import { newJobId, queueJob, replyTargetOf } from '../compose-flow.ts';
import { SEED, numberOption, randomSeed } from '../options.ts';

export const remix: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('remix')
    .setDescription('Transform a track into a new one (same seed, same remix)')
    .setContexts(InteractionContextType.Guild)
    .addStringOption((o) => o.setName('track').setDescription('Track id (shown under each piece)').setRequired(true))
    .addStringOption((o) => o.setName('effect').setDescription('What to do to it').setRequired(true)
      .addChoices(...REMIX_EFFECTS.map((e) => ({ name: `${e}: ${REMIX_DESCRIPTIONS[e]}`.slice(0, 100), value: e }))))
    .addIntegerOption((o) => o.setName('seed').setDescription('Same seed + same track = same remix').setMinValue(SEED.min).setMaxValue(SEED.max))
    .addNumberOption((o) => o.setName('amount').setDescription('How strong, 0-1 (default 1)').setMinValue(0).setMaxValue(1))
    .addIntegerOption((o) => o.setName('semitones').setDescription('pitch-shift: -12 to 12 (default 5)').setMinValue(-12).setMaxValue(12))
    .addNumberOption((o) => o.setName('factor').setDescription('time-stretch: 0.5 to 2 times as long (default 1.25)').setMinValue(0.5).setMaxValue(2))
    .toJSON(),

  async execute(i, ctx) {
    if (!ctx.studio.remixTrack) throw new MixtapeError('UNAVAILABLE', 'Remixes are not available on this bot.');
    const id = i.options.getString('track', true).trim();
    const settings = {
      effect: i.options.getString('effect', true) as RemixEffect,
      seed: numberOption(i, 'seed', SEED, true) ?? randomSeed(),
      amount: numberOption(i, 'amount', { min: 0, max: 1 }),
      semitones: numberOption(i, 'semitones', { min: -12, max: 12 }, true),
      factor: numberOption(i, 'factor', { min: 0.5, max: 2 }),
    };
    checkRemix(settings); // bad settings: answered at once
    const track = await ctx.store.getTrack(id);
    if (!track || track.guildId !== i.guildId) throw new MixtapeError('NOT_FOUND', `No track "${id}" here (it may have been deleted).`);
    await queueJob(i, ctx, () => ({
      kind: 'remix', id: newJobId(), reply: replyTargetOf(i), trackId: track.id,
      ...Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as typeof settings,
      verb: `Remixing (${settings.effect})`, queuedAt: Date.now(),
    }));
  },
};
