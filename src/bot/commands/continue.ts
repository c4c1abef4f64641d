/** /continue: carry on from an uploaded MIDI file. */
import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { BotCommand } from '../types.ts';
import { composeAndPost } from '../compose-flow.ts';
import { checkUpload } from '../attachments.ts';
import { BARS, TEMPERATURE, autocompleteCommon, numberOption, pickKnown, randomSeed } from '../options.ts';
import { modelNames } from './models.ts';

export const continueCommand: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('continue')
    .setDescription('Continue a MIDI file you upload')
    .setContexts(InteractionContextType.Guild)
    .addAttachmentOption((o) => o.setName('file').setDescription('A .mid file to continue').setRequired(true))
    .addIntegerOption((o) => o.setName('bars').setDescription('Bars to add (1-64, default 8)').setMinValue(BARS.min).setMaxValue(BARS.max))
    .addStringOption((o) => o.setName('genre').setDescription('Style to continue in (default classical)').setAutocomplete(true))
    .addStringOption((o) => o.setName('model').setDescription('One of your personal models').setAutocomplete(true))
    .addNumberOption((o) => o.setName('temperature').setDescription('0.1 safe ... 2 wild').setMinValue(TEMPERATURE.min).setMaxValue(TEMPERATURE.max))
    .addStringOption((o) => o.setName('instrument').setDescription('Instrument to play it').setAutocomplete(true))
    .toJSON(),

  async execute(i, ctx) {
    const file = i.options.getAttachment('file', true);
    checkUpload(file, 'midi', ctx.limits); // refuses by name and size before any download
    const genres = ctx.studio.listGenres();
    const genreRaw = i.options.getString('genre');
    const instrumentRaw = i.options.getString('instrument');
    await composeAndPost(i, ctx, {
      request: {
        genre: genreRaw ? pickKnown(genreRaw, genres, 'genre') : genres.includes('classical') ? 'classical' : genres[0],
        bars: numberOption(i, 'bars', BARS, true) ?? 8,
        temperature: numberOption(i, 'temperature', TEMPERATURE),
        instrument: instrumentRaw ? pickKnown(instrumentRaw, ctx.studio.listInstruments(), 'instrument') : undefined,
        seed: randomSeed(),
      },
      modelName: i.options.getString('model') ?? undefined,
      // Downloaded (bounded) and checked by the job, in whichever process runs it.
      primer: { from: 'url', url: file.url, name: file.name },
      verb: 'Continuing your piece',
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
