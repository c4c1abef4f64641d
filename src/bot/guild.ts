/** Guild-only helpers shared by the commands. */
import { PermissionFlagsBits, type GuildMember, type Interaction } from 'discord.js';
import { MixtapeError } from '../engine/errors.ts';

/** The member behind a guild interaction; a clear error outside servers. */
export function memberOf(i: Interaction): GuildMember {
  if (!i.inCachedGuild()) throw new MixtapeError('BAD_ARGUMENT', 'Mixtape works in servers only. Use it in a server channel.');
  return i.member;
}

/** True when the member may moderate tracks (Manage Messages or Administrator). */
export const isModerator = (m: GuildMember): boolean => m.permissions.has(PermissionFlagsBits.ManageMessages);
