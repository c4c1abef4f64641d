/**
 * The thin dispatcher: slash commands and autocomplete by command name, buttons by custom id
 * prefix. Each interaction is handled on its own: an error becomes a short ephemeral answer
 * and never reaches the process.
 */
import type { Interaction } from 'discord.js';
import { MixtapeError } from '../engine/errors.ts';
import type { BotContext } from './types.ts';
import { buttonHandlers } from './buttons.ts';
import { describe, replyError } from './replies.ts';

/** Routes one interaction; never throws. */
export async function dispatch(i: Interaction, ctx: BotContext): Promise<void> {
  try {
    if (i.isAutocomplete()) {
      const cmd = ctx.commands.find((c) => c.data.name === i.commandName);
      await cmd?.autocomplete?.(i, ctx).catch(async (err) => {
        ctx.log.debug({ err: (err as Error).message }, 'autocomplete failed');
        if (!i.responded) await i.respond([]).catch(() => undefined);
      });
      return;
    }
    if (!i.inGuild() && (i.isChatInputCommand() || i.isButton())) {
      throw new MixtapeError('BAD_ARGUMENT', 'Mixtape works in servers only. Use it in a server channel.');
    }
    if (i.isChatInputCommand()) {
      const cmd = ctx.commands.find((c) => c.data.name === i.commandName);
      if (!cmd) throw new MixtapeError('NOT_FOUND', 'This command is no longer supported. Try /help.');
      await cmd.execute(i, ctx);
    } else if (i.isButton()) {
      const handler = buttonHandlers[i.customId.split(':')[0]];
      if (!handler) throw new MixtapeError('NOT_FOUND', 'This button is no longer supported.');
      await handler(i, ctx);
    }
  } catch (e) {
    await replyError(i, e, ctx.log);
  } finally {
    ctx.log.debug({ what: describe(i), user: i.user.id }, 'interaction handled');
  }
}
