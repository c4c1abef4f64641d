/** /compose: a new piece in a genre (or with a personal model). */
import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { BotCommand } from '../types.ts';
import { composeAndPost } from '../compose-flow.ts';
import { BARS, SEED, TEMPERATURE, TEMPO, autocompleteCommon, numberOption, pickKnown, randomSeed } from '../options.ts';
import { modelNames } from './models.ts';

import { METER_NAMES, TUNE_TYPES } from '../../engine/meter.ts';

const TUNE_TYPE_NAMES = Object.keys(TUNE_TYPES);

export const compose: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('compose')
    .setDescription('Compose a new piece of music')
    .setContexts(InteractionContextType.Guild)
    .addStringOption((o) => o.setName('genre').setDescription('Style of the piece').setRequired(true).setAutocomplete(true))
    .addIntegerOption((o) => o.setName('bars').setDescription('Length in bars (1-64)').setRequired(true).setMinValue(BARS.min).setMaxValue(BARS.max))
    .addNumberOption((o) => o.setName('temperature').setDescription('Adventure: 0.1 safe ... 2 wild (default: set per genre, about 0.9)').setMinValue(TEMPERATURE.min).setMaxValue(TEMPERATURE.max))
    .addStringOption((o) => o.setName('instrument').setDescription('Instrument to play it').setAutocomplete(true))
    .addIntegerOption((o) => o.setName('tempo').setDescription('Beats per minute (40-240)').setMinValue(TEMPO.min).setMaxValue(TEMPO.max))
    .addStringOption((o) => o.setName('model').setDescription('One of your personal models (see /models list)').setAutocomplete(true))
    .addIntegerOption((o) => o.setName('seed').setDescription('Same seed + same settings = same piece').setMinValue(SEED.min).setMaxValue(SEED.max))
    .addStringOption((o) => o.setName('meter').setDescription("Time signature (default: as in the genre's music)").addChoices(...METER_NAMES.map((m) => ({ name: m, value: m }))))
    .addStringOption((o) => o.setName('type').setDescription('Tune type (celtic): sets meter and tempo').addChoices(...TUNE_TYPE_NAMES.map((t) => ({ name: t, value: t }))))
    .toJSON(),

  async execute(i, ctx) {
    const genre = pickKnown(i.options.getString('genre', true), ctx.studio.listGenres(), 'genre');
    const instrumentRaw = i.options.getString('instrument');
    await composeAndPost(i, ctx, {
      request: {
        genre,
        bars: numberOption(i, 'bars', BARS, true)!,
        temperature: numberOption(i, 'temperature', TEMPERATURE),
        tempo: numberOption(i, 'tempo', TEMPO, true),
        instrument: instrumentRaw ? pickKnown(instrumentRaw, ctx.studio.listInstruments(), 'instrument') : undefined,
        seed: numberOption(i, 'seed', SEED, true) ?? randomSeed(),
        meter: i.options.getString('meter') ?? undefined,
        tuneType: i.options.getString('type') ?? undefined,
      },
      modelName: i.options.getString('model') ?? undefined,
    });
  },

  async autocomplete(i, ctx) {
    await autocompleteCommon(i, {
      genres: () => ctx.studio.listGenres(),
      instruments: () => ctx.studio.listInstruments(),
      models: () => modelNames(ctx, i.user.id, i.guildId),
    });
  },
};
