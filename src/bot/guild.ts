/** Guild-only helpers shared by the commands. */
import { PermissionFlagsBits, type GuildMember, type Interaction } from 'discord.js';
import { MixtapeError } from '../engine/errors.ts';
import { readSettings, type GuildConfig } from '../settings/index.ts';
import { withTimeout } from '../storage/index.ts';
import type { BotContext } from './types.ts';

/** The member behind a guild interaction; a clear error outside servers. */
export function memberOf(i: Interaction): GuildMember {
  if (!i.inCachedGuild()) throw new MixtapeError('BAD_ARGUMENT', 'Mixtape works in servers only. Use it in a server channel.');
  return i.member;
}

/**
 * True when the member may moderate tracks (Manage Messages, or Administrator). Uses the
 * permissions Discord computed for this interaction, channel overwrites included, never the
 * roles alone.
 */
export const isModerator = (i: Interaction): boolean => i.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false;

/** How long the database may take to answer before work starts: the interaction must be answered within 3 s. */
export const PRECHECK_MS = 2000;

/**
 * The guild's settings, read BEFORE any work is queued: a database outage is answered at once
 * (within PRECHECK_MS), and composing outside the server's mixtape channel is refused.
 */
export async function settingsForWork(i: Interaction, ctx: BotContext): Promise<GuildConfig> {
  const config = await withTimeout(readSettings(ctx.store, i.guildId!), PRECHECK_MS);
  if (config.mixtapeChannel && i.channelId !== config.mixtapeChannel) {
    throw new MixtapeError('BAD_ARGUMENT', `On this server, Mixtape composes in <#${config.mixtapeChannel}>. Try it there.`);
  }
  return config;
}
