/** /continue: carry on from an uploaded MIDI file, an .abc file, or an ABC tune pasted as text. */
import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { BotCommand } from '../types.ts';
import { composeAndPost } from '../compose-flow.ts';
import { checkUpload } from '../attachments.ts';
import { BARS, TEMPERATURE, autocompleteCommon, numberOption, pickKnown, randomSeed } from '../options.ts';
import { modelNames } from './models.ts';
import { MixtapeError } from '../../engine/errors.ts';
import { ABC_MAX_CHARS, looksLikeAbc } from '../../engine/notation/index.ts';
import { abcToPrimer, checkAbcUpload, isAbcName } from '../abc-primer.ts';
import type { PrimerRef } from '../../jobs/payload.ts';

/** Longest ABC text Discord lets a member paste into an option. */
const ABC_OPTION_MAX = 6000;

export const continueCommand: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('continue')
    .setDescription('Continue a MIDI file or an ABC tune (attach .mid/.abc, or paste ABC)')
    .setContexts(InteractionContextType.Guild)
    .addAttachmentOption((o) => o.setName('file').setDescription('A .mid or .abc file to continue'))
    .addStringOption((o) => o.setName('abc').setDescription('Or paste an ABC tune, e.g. X:1 T:Tune M:6/8 L:1/8 K:D dfa afd|...').setMaxLength(ABC_OPTION_MAX))
    .addIntegerOption((o) => o.setName('bars').setDescription('Bars to add (1-64, default 8)').setMinValue(BARS.min).setMaxValue(BARS.max))
    .addStringOption((o) => o.setName('genre').setDescription('Style to continue in (default classical)').setAutocomplete(true))
    .addStringOption((o) => o.setName('model').setDescription('One of your personal models').setAutocomplete(true))
    .addNumberOption((o) => o.setName('temperature').setDescription('0.1 safe ... 2 wild').setMinValue(TEMPERATURE.min).setMaxValue(TEMPERATURE.max))
    .addStringOption((o) => o.setName('instrument').setDescription('Instrument to play it').setAutocomplete(true))
    .toJSON(),

  async execute(i, ctx) {
    const file = i.options.getAttachment('file');
    const abcText = i.options.getString('abc');
    if (!file && !abcText) throw new MixtapeError('BAD_ARGUMENT', 'Attach a .mid or .abc file, or paste an ABC tune into the abc option.');
    if (file && abcText) throw new MixtapeError('BAD_ARGUMENT', 'Give either a file or a pasted ABC tune, not both.');
    let primer: PrimerRef;
    if (abcText) {
      if (abcText.length > ABC_MAX_CHARS || !looksLikeAbc(abcText)) {
        throw new MixtapeError('BAD_ARGUMENT', 'That text is not an ABC tune: it needs a K: (key) field and notes, e.g. X:1 T:My tune M:6/8 L:1/8 K:D dfa afd|');
      }
      abcToPrimer(abcText); // read now too: a bad tune is answered at once
      primer = { from: 'abc', text: abcText };
    } else if (isAbcName(file!.name)) {
      checkAbcUpload(file!);
      primer = { from: 'url', url: file!.url, name: file!.name };
    } else {
      checkUpload(file!, 'midi', ctx.limits); // refuses by name and size before any download
      primer = { from: 'url', url: file!.url, name: file!.name };
    }
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
      primer,
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
