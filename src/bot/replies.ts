/**
 * Short, ephemeral answers for errors: a MixtapeError's own message for bad input, a generic
 * line (and a log entry) for anything unexpected. Never throws: a failed answer is only logged.
 */
import { MessageFlags, type Interaction, type RepliableInteraction } from 'discord.js';
import type { Logger } from 'pino';
import { isMixtapeError } from '../engine/errors.ts';

export const GENERIC_ERROR = 'Something went wrong on our side. Please try again in a moment.';

/** The line a user sees for an error. @example userMessage(new MixtapeError('LIMIT', 'Queue full')) // 'Queue full' */
export function userMessage(e: unknown): string {
  if (isMixtapeError(e)) return capitalize(e.message);
  return GENERIC_ERROR;
}

/** First letter upper-case (queue and storage messages are lower-case). @example capitalize('queue full') // 'Queue full' */
export const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Logs an error unless it is the user's (a MixtapeError other than UNAVAILABLE). */
export function logError(log: Logger, e: unknown, what: string): void {
  if (isMixtapeError(e) && e.code !== 'UNAVAILABLE') return;
  log.error({ err: e }, what);
}

/** Sends `text` ephemerally, whatever state the interaction is in. */
export async function sayEphemeral(i: RepliableInteraction, text: string): Promise<void> {
  if (!i.deferred && !i.replied) {
    await i.reply({ content: text, flags: MessageFlags.Ephemeral });
  } else if (i.deferred && i.ephemeral) {
    await i.editReply({ content: text, embeds: [], components: [], files: [] });
  } else {
    // A public "thinking..." or progress line is there (never deferUpdate here): remove it, tell only the user.
    if (i.deferred) await i.deleteReply().catch(() => undefined);
    await i.followUp({ content: text, flags: MessageFlags.Ephemeral });
  }
}

/** Tells the user what went wrong, ephemerally; logs unexpected errors. */
export async function replyError(i: Interaction, e: unknown, log: Logger): Promise<void> {
  logError(log, e, `interaction ${describe(i)} failed`);
  if (!i.isRepliable()) return;
  try {
    await sayEphemeral(i, userMessage(e));
  } catch (err) {
    log.warn({ err }, 'could not send the error message');
  }
}

/** A short name for logs: the command, button id or type. */
export function describe(i: Interaction): string {
  if (i.isChatInputCommand() || i.isAutocomplete()) return `/${i.commandName}`;
  if (i.isButton()) return `button ${i.customId}`;
  return `type ${i.type}`;
}
