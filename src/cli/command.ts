import { parseArgs } from 'node:util';
import { MixtapeError } from '../engine/errors.ts';

/** One CLI option: `--name VALUE` (string) or `--name` (boolean). */
export interface OptionSpec {
  type: 'string' | 'boolean';
  description: string;
  short?: string;
  multiple?: boolean;
  /** Shown in help; the command applies its own defaults. */
  default?: string;
}

export type ParsedValues = Record<string, string | boolean | string[] | undefined>;

/** A CLI command: one file per command exports one of these; `registry.ts` lists them. */
export interface Command {
  name: string;
  summary: string;
  /** Usage line after `mixtape `, e.g. `compose --genre NAME [options]`. */
  usage: string;
  options: Record<string, OptionSpec>;
  positionals?: boolean;
  run(values: ParsedValues, positionals: string[]): Promise<number | void>;
}

/** Help text for one command. */
export function commandHelp(cmd: Command): string {
  const lines = [`usage: mixtape ${cmd.usage}`, '', cmd.summary, '', 'options:'];
  const entries = Object.entries({ ...cmd.options, help: { type: 'boolean', description: 'show this help' } as OptionSpec });
  for (const [name, opt] of entries) {
    const flag = `${opt.short ? `-${opt.short}, ` : ''}--${name}${opt.type === 'string' ? ' VALUE' : ''}`;
    const def = opt.default !== undefined ? ` (default: ${opt.default})` : '';
    lines.push(`  ${flag.padEnd(26)} ${opt.description}${def}`);
  }
  return lines.join('\n');
}

/** Parses argv for a command; unknown options become a MixtapeError with a hint. */
export function parseCommandArgs(cmd: Command, argv: string[]): { values: ParsedValues; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, o] of Object.entries(cmd.options)) {
    // parseArgs rejects keys that are present but undefined.
    options[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  }
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: cmd.positionals ?? false, strict: true });
    return { values: values as ParsedValues, positionals };
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0].replace(/\. To specify a positional.*$/, '');
    throw new MixtapeError('BAD_ARGUMENT', `${msg} (see: mixtape ${cmd.name} --help)`);
  }
}

/** Reads a string option. */
export const str = (v: ParsedValues, k: string): string | undefined => (typeof v[k] === 'string' ? (v[k] as string) : undefined);

/** Reads a repeatable string option as a list. */
export const strs = (v: ParsedValues, k: string): string[] => (Array.isArray(v[k]) ? (v[k] as string[]) : typeof v[k] === 'string' ? [v[k] as string] : []);

/** Reads a numeric option within [min, max]; a clear error otherwise. */
export function num(v: ParsedValues, k: string, fallback: number, min: number, max: number, integer = false): number {
  return optionalNum(v, k, min, max, integer) ?? fallback;
}

/** Like `num`, but undefined when the option is not given (the callee picks its own default). */
export function optionalNum(v: ParsedValues, k: string, min: number, max: number, integer = false): number | undefined {
  const raw = str(v, k);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    throw new MixtapeError('BAD_ARGUMENT', `--${k} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max} (got "${raw}")`);
  }
  return n;
}
