/**
 * Jobs as plain data: everything a process needs to do the work and answer the member,
 * nothing process-local (no closures, no discord.js objects). Validated with zod whenever a
 * payload crosses a process boundary (the jobs table, Redis).
 */
import { z } from 'zod';
import { ABC_MAX_CHARS } from '../engine/notation/abc-read.ts';
import { MixtapeError } from '../engine/errors.ts';

/** How long Discord keeps an interaction token usable (15 minutes). */
export const INTERACTION_TOKEN_MS = 15 * 60 * 1000;

const id = z.string().regex(/^\d{1,25}$/);

/** Where and to whom the answer goes: the deferred reply (token) or, after its 15 minutes, the channel. */
export const replyTarget = z.object({
  applicationId: id,
  /** The interaction token: edits the deferred reply over REST without the bot token. */
  token: z.string().min(1).max(500),
  guildId: id,
  channelId: id,
  userId: id,
  userName: z.string().max(100),
  /** ms since epoch: the token stops working then; post in the channel instead. */
  deadline: z.number().int().positive(),
});
export type ReplyTarget = z.infer<typeof replyTarget>;

/** The settings of a piece (what the studio needs besides the model and primer). */
export const pieceRequest = z.object({
  genre: z.string().min(1).max(40),
  bars: z.number().int().min(1).max(256),
  seed: z.number().int(),
  temperature: z.number().positive().max(5).optional(),
  topP: z.number().positive().max(1).optional(),
  tempo: z.number().positive().max(400).optional(),
  instrument: z.string().max(60).optional(),
}).passthrough(); // settings added later travel along untouched

/** The MIDI to continue: a member's upload (downloaded, bounded, by the worker) or a stored track. */
export const primerRef = z.discriminatedUnion('from', [
  z.object({ from: z.literal('url'), url: z.string().url(), name: z.string().max(200) }),
  z.object({ from: z.literal('track'), trackId: z.string().min(1).max(64) }),
  /** An ABC tune pasted into /continue (an attached .abc travels as a url). */
  z.object({ from: z.literal('abc'), text: z.string().min(1).max(ABC_MAX_CHARS) }),
]);
export type PrimerRef = z.infer<typeof primerRef>;

/** compose, continue, variation and extend: a new piece. */
export const composePayload = z.object({
  kind: z.enum(['compose', 'continue']),
  /** Also the id of the track it makes: a job run twice makes one track. */
  id: z.string().min(6).max(64),
  reply: replyTarget,
  request: pieceRequest,
  /** A personal model as the member typed it, or by id (re-using a track's settings, with the asker's rights). */
  modelName: z.string().max(100).optional(),
  modelId: z.string().max(64).nullable().optional(),
  primer: primerRef.optional(),
  parentTrackId: z.string().max(64).optional(),
  /** The verb shown while working, e.g. "Extending". */
  verb: z.string().max(60),
  /** When it was queued (ms since epoch), for the time-to-result metric. */
  queuedAt: z.number().int().positive(),
});
export type ComposePayload = z.infer<typeof composePayload>;

/** remix: a stored track transformed by a seeded effect into a new track (src/jobs/remix.ts). */
export const remixPayload = z.object({
  kind: z.literal('remix'),
  /** Also the id of the track it makes. */
  id: z.string().min(6).max(64),
  reply: replyTarget,
  /** The track remixed (the new one's parent). */
  trackId: z.string().min(1).max(64),
  effect: z.string().min(1).max(40),
  seed: z.number().int().min(0),
  amount: z.number().min(0).max(1).optional(),
  semitones: z.number().int().min(-12).max(12).optional(),
  factor: z.number().min(0.5).max(2).optional(),
  verb: z.string().max(60),
  queuedAt: z.number().int().positive(),
});
export type RemixPayload = z.infer<typeof remixPayload>;

/** train: fine-tune a personal model on a member's uploads (downloaded, bounded, by the worker). */
export const trainPayload = z.object({
  kind: z.literal('train'),
  /** Also the id of the model it makes: a job run twice makes one model. */
  id: z.string().min(6).max(64),
  reply: replyTarget,
  name: z.string().min(1).max(40),
  baseGenre: z.string().min(1).max(40),
  files: z.array(z.object({ url: z.string().url(), name: z.string().max(200) })).min(1).max(500),
  /** One .zip of MIDI files instead of MIDI files. */
  zip: z.boolean(),
  verb: z.string().max(80),
  queuedAt: z.number().int().positive(),
});
export type TrainPayload = z.infer<typeof trainPayload>;

/** Every job kind a worker can run. */
export const jobPayload = z.union([composePayload, remixPayload, trainPayload]);
export type JobPayload = z.infer<typeof jobPayload>;

/**
 * A payload read from outside the process; a clear error when it is not one.
 * @example parsePayload(JSON.parse(text))
 */
export function parsePayload(value: unknown): JobPayload {
  const parsed = jobPayload.safeParse(value);
  if (!parsed.success) throw new MixtapeError('BAD_ARGUMENT', `not a Mixtape job: ${parsed.error.issues[0]?.message ?? 'unknown shape'}`);
  return parsed.data;
}
