/** /train: fine-tune a personal model on a member's MIDI files, in the background. */
import { InteractionContextType, SlashCommandBuilder, type Attachment } from 'discord.js';
import { MixtapeError } from '../../engine/errors.ts';
import type { TrainResult } from '../../studio/types.ts';
import type { BotCommand, BotContext } from '../types.ts';
import { assertMidi, checkUpload, download, unzipMidi, type UploadedFile } from '../attachments.ts';
import { ensureMember } from '../compose-flow.ts';
import { bar, progressReply } from '../progress.ts';
import { autocompleteCommon, pickKnown } from '../options.ts';
import { replyError } from '../replies.ts';
import { settingsForWork } from '../guild.ts';

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

/** Downloads and unpacks the uploads into MIDI files. */
async function fetchFiles(files: Attachment[], zip: boolean, ctx: BotContext): Promise<UploadedFile[]> {
  const { maxMidiBytes, maxZipBytes, downloadTimeoutMs } = ctx.limits;
  if (zip) return unzipMidi(await download(files[0].url, maxZipBytes, downloadTimeoutMs), ctx.limits);
  const out: UploadedFile[] = [];
  for (const f of files) {
    const bytes = await download(f.url, maxMidiBytes, downloadTimeoutMs);
    assertMidi(f.name, bytes);
    out.push({ name: f.name, bytes });
  }
  return out;
}

/** A short summary of a model card. */
function cardText(card: Record<string, unknown>): string {
  return Object.entries(card)
    .filter(([, v]) => typeof v === 'number' || (typeof v === 'string' && v.length < 40))
    .slice(0, 5)
    .map(([k, v]) => `${k}: ${typeof v === 'number' ? Number(v.toFixed(4)) : v}`)
    .join(' · ');
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
    const guildId = i.guildId!;
    let open!: () => void;
    let shut!: (e: unknown) => void;
    const gate = new Promise<void>((resolve, reject) => { open = resolve; shut = reject; });
    gate.catch(() => undefined);
    const config = await settingsForWork(i, ctx); // the database answers before any work is queued
    const job = ctx.queue.submit<{ result: TrainResult; count: number }>({
      userId: i.user.id,
      guildId,
      kind: 'train',
      ...(config.maxJobsPerUser ? { maxPerUser: config.maxJobsPerUser } : {}),
      run: async (jc) => {
        await gate;
        const existing = await ctx.store.getModel(name, i.user.id);
        if (existing && existing.ownerId === i.user.id) throw new MixtapeError('BAD_ARGUMENT', `You already have a model named "${name}". Pick another name or /models delete it.`);
        jc.reportProgress(0, 'reading your files');
        const midi = await fetchFiles(files, zip, ctx);
        const result = await ctx.studio.trainPersonal(
          { files: midi, baseGenre, name, maxSeconds: ctx.limits.trainSeconds },
          (p) => jc.reportProgress(p.fraction, p.epoch !== undefined ? `epoch ${p.epoch}/${p.epochs}${p.loss !== undefined ? ` · loss ${p.loss.toFixed(3)}` : ''}` : (p.detail ?? p.stage)),
        );
        return { result, count: midi.length };
      },
    });
    job.promise.catch(() => undefined);
    try {
      await i.deferReply();
    } catch (e) {
      shut(e);
      return;
    }
    open();
    const reply = progressReply(i, ctx.limits.progressEditMs);
    const unsubscribe = ctx.queue.onEvent(job.id, (e) => {
      if (e.type === 'position' && e.position > 0) reply.show(`⏳ Training **${name}** is waiting in the queue: position **${e.position}**.`);
      if (e.type === 'started') reply.show(`🧠 Training **${name}**…`);
      if (e.type === 'progress') reply.show(`🧠 Training **${name}**… ${bar(e.fraction)} ${Math.round(e.fraction * 100)}%${e.detail ? ` · ${e.detail}` : ''}`);
    });
    try {
      const { result, count } = await job.promise;
      unsubscribe();
      await reply.finish();
      await ensureMember(ctx.store, i.user.id, i.user.username, guildId);
      const model = await ctx.store.createModel({
        ownerId: i.user.id, name, baseGenre, kind: 'lstm-finetune', weights: result.bytes, card: result.card, guildId,
      });
      const text = `✅ Model **${model.name}** is ready (trained on ${count} file${count === 1 ? '' : 's'}, from ${baseGenre}). ${cardText(result.card)}\nUse it with \`/compose model:${model.name}\`.`;
      // The interaction token lives 15 minutes; after that, post in the channel instead.
      await i.editReply(text).catch(async () => {
        if (i.channel && 'send' in i.channel) await i.channel.send(`<@${i.user.id}> ${text}`);
      });
    } catch (e) {
      unsubscribe();
      await reply.finish();
      await replyError(i, e, ctx.log);
    }
  },

  async autocomplete(i, ctx) {
    await autocompleteCommon(i, { genres: () => ctx.studio.listGenres(), instruments: () => [], models: async () => [] });
  },
};
