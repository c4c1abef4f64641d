/** /train: fine-tune a personal model on a member's MIDI files, in the background. */
import { InteractionContextType, SlashCommandBuilder, type Attachment } from 'discord.js';
import { MixtapeError } from '../../engine/errors.ts';
import type { BotCommand, BotContext } from '../types.ts';
import { checkUpload } from '../attachments.ts';
import { newJobId, queueJob, replyTargetOf } from '../compose-flow.ts';
import { autocompleteCommon, pickKnown } from '../options.ts';

export const TRAIN_FILE_OPTIONS = 8;
const fileOption = (n: number) => `file${n}`;

/** The uploaded attachments, checked by name and size (nothing downloaded yet). */
function uploads(i: { options: { getAttachment(name: string): Attachment | null } }, ctx: BotContext): { files: Attachment[]; zip: boolean } {
  const files: Attachment[] = [];
  for (let n = 1; n <= TRAIN_FILE_OPTIONS; n++) {
    const a = i.options.getAttachment(fileOption(n));
    if (a) files.push(a);
  }
  if (files.length > ctx.limits.maxTrainFiles) throw new MixtapeError('LIMIT', `Attach at most ${ctx.limits.maxTrainFiles} files (or one .zip).`);
  const kinds = files.map((f) => checkUpload(f, 'midi-or-zip', ctx.limits));
  const zip = kinds.includes('zip');
  if (zip && files.length > 1) throw new MixtapeError('BAD_ARGUMENT', 'Attach either MIDI files or one .zip of MIDI files, not both.');
  return { files, zip };
}

const builder = new SlashCommandBuilder()
  .setName('train')
  .setDescription('Train a personal model on your MIDI files (or one .zip)')
  .setContexts(InteractionContextType.Guild)
  .addStringOption((o) => o.setName('name').setDescription('Name of the new model').setRequired(true).setMaxLength(40))
  .addAttachmentOption((o) => o.setName('file1').setDescription('A .mid file, or a .zip of .mid files').setRequired(true))
  .addStringOption((o) => o.setName('genre').setDescription('Genre model to start from (default classical)').setAutocomplete(true));
for (let n = 2; n <= TRAIN_FILE_OPTIONS; n++) {
  builder.addAttachmentOption((o) => o.setName(fileOption(n)).setDescription('Another .mid file'));
}

export const train: BotCommand = {
  data: builder.toJSON(),

  async execute(i, ctx) {
    const name = i.options.getString('name', true).trim();
    if (!name || name.length > 40) throw new MixtapeError('BAD_ARGUMENT', 'Give the model a name of 1 to 40 characters.');
    const { files, zip } = uploads(i, ctx);
    const genres = ctx.studio.listGenres();
    const genreRaw = i.options.getString('genre');
    const baseGenre = genreRaw ? pickKnown(genreRaw, genres, 'genre') : genres.includes('classical') ? 'classical' : genres[0];
    // The job downloads, trains and answers, in whichever process runs it (this one or a worker).
    await queueJob(i, ctx, () => ({
      kind: 'train',
      id: newJobId(),
      reply: replyTargetOf(i),
      name,
      baseGenre,
      files: files.map((f) => ({ url: f.url, name: f.name })),
      zip,
      verb: `Training **${name}**`,
      queuedAt: Date.now(),
    }));
  },

  async autocomplete(i, ctx) {
    await autocompleteCommon(i, { genres: () => ctx.studio.listGenres(), instruments: () => [], models: async () => [] });
  },
};
