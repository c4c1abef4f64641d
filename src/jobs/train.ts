/**
 * The train job: download the member's files (bounded), fine-tune, store the model, answer.
 * Idempotent: the model's id is the job's id, so a job that runs twice makes one model.
 */
import { MixtapeError } from '../engine/errors.ts';
import { assertMidi, download, unzipMidi, type UploadedFile } from '../bot/attachments.ts';
import type { BotLimits } from '../bot/types.ts';
import type { TrainPayload } from './payload.ts';
import type { JobRun, JobRuntime } from './runtime.ts';
import { ensureMember } from './members.ts';

/** Downloads and unpacks the uploads into MIDI files, within the limits. */
export async function fetchTrainingFiles(files: { url: string; name: string }[], zip: boolean, limits: BotLimits): Promise<UploadedFile[]> {
  const { maxMidiBytes, maxZipBytes, downloadTimeoutMs } = limits;
  if (zip) return unzipMidi(await download(files[0]!.url, maxZipBytes, downloadTimeoutMs), limits);
  const out: UploadedFile[] = [];
  for (const f of files) {
    const bytes = await download(f.url, maxMidiBytes, downloadTimeoutMs);
    assertMidi(f.name, bytes);
    out.push({ name: f.name, bytes });
  }
  return out;
}

/** A short summary of a model card. */
export function cardText(card: Record<string, unknown>): string {
  return Object.entries(card)
    .filter(([, v]) => typeof v === 'number' || (typeof v === 'string' && v.length < 40))
    .slice(0, 5)
    .map(([k, v]) => `${k}: ${typeof v === 'number' ? Number(v.toFixed(4)) : v}`)
    .join(' · ');
}

/** Runs a training job to its answer. */
export async function runTrain(p: TrainPayload, rt: JobRuntime, run: JobRun): Promise<'answered' | 'already-answered'> {
  const { userId, userName, guildId } = p.reply;
  const done = await rt.store.getModel(p.id, userId);
  if (done) {
    await run.progress.finish();
    return 'already-answered';
  }
  const existing = await rt.store.getModel(p.name, userId);
  if (existing && existing.ownerId === userId) throw new MixtapeError('BAD_ARGUMENT', `You already have a model named "${p.name}". Pick another name or /models delete it.`);
  run.reportProgress(0, 'reading your files');
  const midi = await fetchTrainingFiles(p.files, p.zip, rt.limits);
  const result = await rt.studio.trainPersonal(
    { files: midi, baseGenre: p.baseGenre, name: p.name, maxSeconds: rt.limits.trainSeconds },
    (s) => run.reportProgress(s.fraction, s.epoch !== undefined ? `epoch ${s.epoch}/${s.epochs}${s.loss !== undefined ? ` · loss ${s.loss.toFixed(3)}` : ''}` : (s.detail ?? s.stage)),
  );
  await ensureMember(rt.store, userId, userName, guildId);
  let model;
  try {
    model = await rt.store.createModel({ id: p.id, ownerId: userId, name: p.name, baseGenre: p.baseGenre, kind: 'lstm-finetune', weights: result.bytes, card: result.card, guildId });
  } catch (e) {
    if (await rt.store.getModel(p.id, userId)) return 'already-answered'; // another run of this job made it
    throw e;
  }
  await run.progress.finish();
  const count = midi.length;
  const text = `✅ Model **${model.name}** is ready (trained on ${count} file${count === 1 ? '' : 's'}, from ${p.baseGenre}). ${cardText(result.card)}\nUse it with \`/compose model:${model.name}\`.`;
  await rt.delivery.answer(p.reply, { content: text });
  return 'answered';
}
