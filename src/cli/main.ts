import { commandHelp, parseCommandArgs } from './command.ts';
import { commands } from './registry.ts';
import { isMixtapeError } from '../engine/errors.ts';

function usage(): string {
  const names = Object.keys(commands).sort();
  return [
    'usage: mixtape COMMAND [options]',
    '',
    'Mixtape composes music with LSTM networks. Commands:',
    ...names.map((n) => `  ${n}`),
    '',
    'Run `mixtape COMMAND --help` for the options of one command.',
  ].join('\n');
}

/** Runs the CLI and returns the exit code. Bad input prints one line, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 1;
  }
  const load = commands[name];
  if (!load) {
    console.error(`error: unknown command "${name}". Commands: ${Object.keys(commands).sort().join(', ')}`);
    return 2;
  }
  try {
    const cmd = await load();
    const { values, positionals } = parseCommandArgs(cmd, rest);
    if (values.help) {
      console.log(commandHelp(cmd));
      return 0;
    }
    return (await cmd.run(values, positionals)) ?? 0;
  } catch (e) {
    if (isMixtapeError(e)) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    console.error(`internal error: ${(e as Error)?.message ?? String(e)}${process.env.MIXTAPE_DEBUG ? `\n${(e as Error)?.stack}` : ' (set MIXTAPE_DEBUG=1 for details)'}`);
    return 1;
  }
}
