/**
 * Reading and checking slash command options. Discord enforces the declared bounds, but the
 * bot checks again (a stale client or a crafted request can send anything).
 */
import type { AutocompleteInteraction, ChatInputCommandInteraction } from 'discord.js';
import { MixtapeError } from '../engine/errors.ts';

export const BARS = { min: 1, max: 64 } as const;
export const TEMPERATURE = { min: 0.1, max: 2 } as const;
export const TEMPO = { min: 40, max: 240 } as const;
export const SEED = { min: 0, max: 2 ** 31 - 1 } as const;

/** A number option within bounds, or undefined when absent. */
export function numberOption(i: ChatInputCommandInteraction, name: string, range: { min: number; max: number }, integer = false): number | undefined {
  const v = i.options.get(name)?.value;
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < range.min || n > range.max) {
    throw new MixtapeError('BAD_ARGUMENT', `${name} must be ${integer ? 'a whole number' : 'a number'} from ${range.min} to ${range.max}.`);
  }
  return n;
}

/** Resolves a name case-insensitively among `known`; a clear error listing them otherwise. */
export function pickKnown(value: string, known: string[], what: 'genre' | 'instrument'): string {
  const hit = known.find((k) => k.toLowerCase() === value.trim().toLowerCase());
  if (hit) return hit;
  const code = what === 'genre' ? 'UNKNOWN_GENRE' : 'UNKNOWN_INSTRUMENT';
  throw new MixtapeError(code, `Unknown ${what} "${value}". Choose one of: ${known.join(', ')}.`);
}

/** A random seed. */
export const randomSeed = (): number => Math.floor(Math.random() * SEED.max);

/** Up to 25 autocomplete choices among `values` that contain what was typed. */
export function matchChoices(values: string[], typed: string): { name: string; value: string }[] {
  const t = typed.trim().toLowerCase();
  return values
    .filter((v) => v.toLowerCase().includes(t))
    .sort((a, b) => Number(!a.toLowerCase().startsWith(t)) - Number(!b.toLowerCase().startsWith(t)))
    .slice(0, 25)
    .map((v) => ({ name: v.slice(0, 100), value: v.slice(0, 100) }));
}

/** Answers autocomplete for the usual fields: genre, instrument, model. */
export async function autocompleteCommon(
  i: AutocompleteInteraction,
  sources: { genres: () => string[]; instruments: () => string[]; models: () => Promise<string[]> },
): Promise<void> {
  const focused = i.options.getFocused(true);
  const typed = String(focused.value ?? '');
  let values: string[] = [];
  if (focused.name === 'genre') values = sources.genres();
  else if (focused.name === 'instrument') values = sources.instruments();
  else if (focused.name === 'model') values = await sources.models();
  await i.respond(matchChoices(values, typed));
}
