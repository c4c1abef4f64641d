/**
 * Slash command registration at startup: per guild with DEV_GUILD_ID (instant), else global,
 * and only when the definitions differ from what Discord already has (compared by a hash of
 * the fields that matter, since Discord adds ids and defaults to what it returns).
 */
import { createHash } from 'node:crypto';
import { Routes, type REST } from 'discord.js';

type Json = Record<string, any>;

/** The fields of an option that define it, with Discord's defaults made explicit. */
function normalizeOption(o: Json): Json {
  return {
    type: o.type,
    name: o.name,
    description: o.description,
    required: o.required ?? false,
    autocomplete: o.autocomplete ?? false,
    choices: (o.choices ?? []).map((c: Json) => ({ name: c.name, value: c.value })),
    min_value: o.min_value ?? null,
    max_value: o.max_value ?? null,
    min_length: o.min_length ?? null,
    max_length: o.max_length ?? null,
    channel_types: o.channel_types ?? [],
    options: (o.options ?? []).map(normalizeOption),
  };
}

/** The fields of a command that define it. */
function normalizeCommand(c: Json): Json {
  return {
    name: c.name,
    description: c.description,
    type: c.type ?? 1,
    contexts: c.contexts ?? null,
    default_member_permissions: c.default_member_permissions ?? null,
    options: (c.options ?? []).map(normalizeOption),
  };
}

/** A stable hash of command definitions (order-independent). */
export function commandsHash(defs: readonly Json[]): string {
  const normalized = defs.map(normalizeCommand).sort((a, b) => a.name.localeCompare(b.name));
  return createHash('sha256').update(JSON.stringify(normalized)).digest('hex');
}

/** Registers the commands when they changed; returns what it did. */
export async function registerCommands(rest: REST, appId: string, defs: readonly Json[], guildId?: string): Promise<'registered' | 'unchanged'> {
  const route = guildId ? Routes.applicationGuildCommands(appId, guildId) : Routes.applicationCommands(appId);
  const current = (await rest.get(route)) as Json[];
  if (commandsHash(current) === commandsHash(defs)) return 'unchanged';
  await rest.put(route, { body: defs });
  return 'registered';
}
