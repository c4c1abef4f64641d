/**
 * Guild settings: ONE list says what a server can configure. `/settings` builds its
 * subcommands from it, the store keeps each value as JSON under its key, and every reader
 * (bot, jobs, web) gets typed values with the defaults filled in through `readSettings`.
 *
 * Adding a setting = one entry in SETTINGS (key, command name, kind, default, description);
 * `GuildConfig` grows the typed field by itself. Nothing here knows Discord.
 */
import { MixtapeError } from '../engine/errors.ts';

interface Base<K extends string> {
  /** Storage key and field of GuildConfig (camelCase, never renamed once shipped). */
  key: K;
  /** The `/settings` subcommand (lowercase, dashes; at most 32 characters). */
  name: string;
  /** One line for the command list and `/settings show`. */
  description: string;
}

/** A text channel of the guild (its id). */
export interface ChannelSetting<K extends string = string> extends Base<K> { kind: 'channel'; default: string | null }
/** A whole number in [min, max]. */
export interface IntegerSetting<K extends string = string> extends Base<K> { kind: 'integer'; min: number; max: number; default: number | null }
/** On or off. */
export interface BooleanSetting<K extends string = string> extends Base<K> { kind: 'boolean'; default: boolean }
/** One of a few words. */
export interface ChoiceSetting<K extends string = string> extends Base<K> { kind: 'choice'; choices: readonly string[]; default: string | null }
/**
 * Free text checked by `pattern` (e.g. a weekly time `fri 18:00`); `hint` says the expected form.
 * `normalize` may canonicalise an accepted value (e.g. lower-case it).
 */
export interface TextSetting<K extends string = string> extends Base<K> {
  kind: 'text'; pattern: RegExp; hint: string; maxLength: number; default: string | null; normalize?: (v: string) => string;
}

export type SettingDef = ChannelSetting | IntegerSetting | BooleanSetting | ChoiceSetting | TextSetting;
export type SettingValue = string | number | boolean | null;

/** What a server can configure. Add a setting here (see the module comment). */
export const SETTINGS = [
  {
    key: 'mixtapeChannel', name: 'channel', kind: 'channel', default: null,
    description: 'The channel where members compose (/compose, /continue, /train, variations); anywhere when not set',
  },
  {
    key: 'maxJobsPerUser', name: 'job-limit', kind: 'integer', min: 1, max: 20, default: null,
    description: 'Pieces one member may have waiting or running at once (default: the bot\'s limit)',
  },
  {
    key: 'webSharing', name: 'web-sharing', kind: 'boolean', default: true,
    description: 'Track links open on the web for anyone who has the link (on by default); off: only logged-in members',
  },
  {
    key: 'publicPages', name: 'public-pages', kind: 'boolean', default: false,
    description: "The server's mixtape and member pages on the web are public (off by default: members only, after Discord login)",
  },
  {
    key: 'weeklyMixtape', name: 'weekly-post', kind: 'text', default: null, maxLength: 9,
    pattern: /^(mon|tue|wed|thu|fri|sat|sun)\s+([01]?\d|2[0-3]):[0-5]\d$/i, hint: 'a day and a UTC time, like "fri 18:00"',
    normalize: (v: string) => v.toLowerCase().replace(/\s+/, ' ').replace(/ (\d):/, ' 0$1:'),
    description: "When the week's top tracks are posted as one recording (day and UTC time, e.g. fri 18:00); not set: no weekly post",
  },
  {
    key: 'weeklyChannel', name: 'weekly-channel', kind: 'channel', default: null,
    description: 'Where the weekly mixtape recording is posted (default: the channel setting)',
  },
] as const satisfies readonly SettingDef[];

type Defs = (typeof SETTINGS)[number];
type ValueOf<S> =
  S extends { kind: 'boolean' } ? boolean
  : S extends { kind: 'integer' } ? number | null
  : string | null;

/** Every setting of a guild, typed, defaults filled in. */
export type GuildConfig = { [S in Defs as S['key']]: ValueOf<S> };
export type SettingKey = Defs['key'];

/** The definition of a key or a subcommand name; undefined when unknown. @example settingDef('job-limit')?.key // 'maxJobsPerUser' */
export function settingDef(keyOrName: string): SettingDef | undefined {
  return (SETTINGS as readonly SettingDef[]).find((s) => s.key === keyOrName || s.name === keyOrName);
}

/**
 * Checks a new value against its definition; returns the value to store (null = back to the
 * default). Throws BAD_ARGUMENT with what to do instead.
 * @example checkSetting(settingDef('job-limit')!, 3) // 3
 */
export function checkSetting(def: SettingDef, value: unknown): SettingValue {
  if (value === null || value === undefined) return null;
  switch (def.kind) {
    case 'channel':
      if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return value;
      throw bad(def, 'a text channel of this server');
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value) && value >= def.min && value <= def.max) return value;
      throw bad(def, `a whole number from ${def.min} to ${def.max}`);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      throw bad(def, 'true or false');
    case 'choice':
      if (typeof value === 'string' && def.choices.includes(value)) return value;
      throw bad(def, `one of ${def.choices.join(', ')}`);
    case 'text': {
      const text = typeof value === 'string' ? value.trim() : '';
      if (text && text.length <= def.maxLength && def.pattern.test(text)) return def.normalize ? def.normalize(text) : text;
      throw bad(def, def.hint);
    }
  }
}

const bad = (def: SettingDef, want: string) =>
  new MixtapeError('BAD_ARGUMENT', `${def.name} must be ${want}.`);

/** A stored value as the definition wants it; the default for anything stale or malformed. */
function fromStored(def: SettingDef, raw: unknown): SettingValue {
  try {
    return checkSetting(def, raw) ?? def.default;
  } catch {
    return def.default; // e.g. a range narrowed since the value was stored
  }
}

/**
 * Typed settings from the stored values (key -> parsed JSON), defaults filled in.
 * @example configOf({ maxJobsPerUser: 3 }).maxJobsPerUser // 3
 */
export function configOf(stored: Record<string, unknown>): GuildConfig {
  const out: Record<string, SettingValue> = {};
  for (const def of SETTINGS as readonly SettingDef[]) out[def.key] = def.key in stored ? fromStored(def, stored[def.key]) : def.default;
  return out as GuildConfig;
}

/** Reads a guild's settings through anything that can list its stored values (the Store). */
export async function readSettings(store: { getSettings(guildId: string): Promise<Record<string, unknown>> }, guildId: string): Promise<GuildConfig> {
  return configOf(await store.getSettings(guildId));
}

/**
 * A value as members read it. @example formatSetting(settingDef('job-limit')!, null) // 'not set (default)'
 */
export function formatSetting(def: SettingDef, value: SettingValue): string {
  if (value === null || value === undefined) return 'not set (default)';
  if (def.kind === 'channel') return `<#${value}>`;
  if (def.kind === 'boolean') return value ? 'on' : 'off';
  return String(value);
}
