/**
 * Answering Discord without a gateway connection: a worker edits the member's deferred reply
 * over REST with the interaction token (PATCH /webhooks/{app}/{token}/messages/@original, no
 * bot token), and after the token's 15 minutes posts in the channel with the bot token instead.
 */
import { REST, Routes, DiscordAPIError, type RawFile } from 'discord.js';
import type { APIEmbed, APIMessage } from 'discord.js';
import type { Logger } from 'pino';
import type { ReplyTarget } from '../jobs/payload.ts';
import type { ThrottledProgress } from './throttle.ts';
import { throttledProgress } from './throttle.ts';

/** A message as plain data: what the builders' toJSON() give, plus raw files. */
export interface AnswerBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: unknown[];
  files?: { name: string; data: Uint8Array }[];
}

export interface Delivered {
  channelId: string;
  messageId: string;
  /** 'reply' when the deferred reply was edited, 'channel' when posted in the channel. */
  via: 'reply' | 'channel';
}

export interface Delivery {
  /** The final answer: edits the deferred reply, or posts in the channel once the token has expired. */
  answer(target: ReplyTarget, body: AnswerBody): Promise<Delivered>;
  /** A progress line on the deferred reply (nothing once the token has expired). */
  progress(target: ReplyTarget, text: string): Promise<void>;
  /** An error only the member sees (ephemeral follow-up); in the channel, mentioning them, after the deadline. */
  error(target: ReplyTarget, text: string): Promise<void>;
  /** A message in a channel (bot token). */
  post(channelId: string, body: AnswerBody): Promise<Delivered>;
}

export interface DeliveryOptions {
  /** REST base, e.g. https://discord.com/api (a local fake in tests). */
  apiUrl: string;
  /** Needed only to post in a channel after a token expired. */
  botToken?: string;
  log?: Logger;
  /** Clock, for tests. */
  now?: () => number;
}

/** Discord's codes for an interaction token that no longer works. */
const EXPIRED_CODES = new Set([10015, 50027]);
const EPHEMERAL = 1 << 6;

/** The JSON and files of a message body for the REST client. */
export function restBody(body: AnswerBody): { body: Record<string, unknown>; files?: RawFile[] } {
  const json: Record<string, unknown> = {};
  if (body.content !== undefined) json.content = body.content;
  if (body.embeds) json.embeds = body.embeds;
  if (body.components) json.components = body.components;
  if (!body.files?.length) return { body: json };
  json.attachments = body.files.map((f, id) => ({ id, filename: f.name }));
  return { body: json, files: body.files.map((f) => ({ name: f.name, data: Buffer.from(f.data) })) };
}

/** Turns message builders (embed, rows, AttachmentBuilder) into plain data. */
export function plainMessage(m: {
  content?: string;
  embeds?: { toJSON(): APIEmbed }[];
  components?: { toJSON(): unknown }[];
  files?: { attachment: unknown; name: string | null }[];
}): AnswerBody {
  return {
    ...(m.content !== undefined ? { content: m.content } : {}),
    embeds: (m.embeds ?? []).map((e) => e.toJSON()),
    components: (m.components ?? []).map((c) => c.toJSON()),
    files: (m.files ?? []).map((f) => ({ name: f.name ?? 'file', data: f.attachment as Uint8Array })),
  };
}

const expired = (e: unknown): boolean => e instanceof DiscordAPIError && typeof e.code === 'number' && EXPIRED_CODES.has(e.code);

/** A Delivery over Discord's REST API. */
export function createDelivery(options: DeliveryOptions): Delivery {
  const rest = new REST({ api: options.apiUrl, version: '10', timeout: 20_000 });
  if (options.botToken) rest.setToken(options.botToken);
  const now = options.now ?? Date.now;
  const original = (t: ReplyTarget) => Routes.webhookMessage(t.applicationId, t.token, '@original');

  const post = async (channelId: string, body: AnswerBody): Promise<Delivered> => {
    if (!options.botToken) throw new Error('posting in a channel needs DISCORD_TOKEN');
    const sent = (await rest.post(Routes.channelMessages(channelId), restBody(body))) as APIMessage;
    return { channelId: sent.channel_id, messageId: sent.id, via: 'channel' };
  };

  const inChannel = (t: ReplyTarget, body: AnswerBody) =>
    post(t.channelId, { ...body, content: `<@${t.userId}> ${body.content ?? ''}`.trim() });

  return {
    async answer(t, body) {
      if (now() < t.deadline - 5_000) {
        try {
          const m = (await rest.patch(original(t), { ...restBody(body), auth: false })) as APIMessage;
          return { channelId: m.channel_id ?? t.channelId, messageId: m.id, via: 'reply' };
        } catch (e) {
          if (!expired(e)) throw e;
          options.log?.info({ channelId: t.channelId }, 'interaction token expired: posting in the channel');
        }
      }
      return inChannel(t, body);
    },

    async progress(t, text) {
      if (now() >= t.deadline - 5_000) return;
      await rest.patch(original(t), { body: { content: text }, auth: false }).catch(() => undefined);
    },

    async error(t, text) {
      if (now() < t.deadline - 5_000) {
        try {
          // The public "thinking..." line goes; only the member sees what went wrong.
          await rest.delete(original(t), { auth: false }).catch(() => undefined);
          await rest.post(Routes.webhook(t.applicationId, t.token), { body: { content: text, flags: EPHEMERAL }, auth: false });
          return;
        } catch (e) {
          if (!expired(e)) throw e;
        }
      }
      if (options.botToken) await inChannel(t, { content: text });
    },

    post,
  };
}

export type RestProgress = ThrottledProgress;

/** A throttled, serialized progress display on a deferred reply, over REST. */
export function restProgress(delivery: Delivery, target: ReplyTarget, minGapMs: number): RestProgress {
  return throttledProgress((text) => delivery.progress(target, text), minGapMs);
}
