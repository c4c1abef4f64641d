import type { Command } from './command.ts';

/** Every CLI command, loaded lazily so that `mixtape --help` stays fast. Add one line per command. */
export const commands: Record<string, () => Promise<Command>> = {
  train: async () => (await import('./commands/train.ts')).default,
  render: async () => (await import('./commands/render.ts')).default,
};
