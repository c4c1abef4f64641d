import type { Command } from './command.ts';

/** Every CLI command, loaded lazily so that `mixtape --help` stays fast. Add one line per command. */
export const commands: Record<string, () => Promise<Command>> = {
  compose: async () => (await import('./commands/compose.ts')).default,
  continue: async () => (await import('./commands/continue.ts')).default,
  evaluate: async () => (await import('./commands/evaluate.ts')).default,
  form: async () => (await import('./commands/form.ts')).default,
  train: async () => (await import('./commands/train.ts')).default,
  render: async () => (await import('./commands/render.ts')).default,
  remix: async () => (await import('./commands/remix.ts')).default,
  bench: async () => (await import('./commands/bench.ts')).default,
  web: async () => (await import('./commands/web.ts')).default,
  bot: async () => (await import('./commands/bot.ts')).default,
  worker: async () => (await import('./commands/worker.ts')).default,
  loadtest: async () => (await import('./commands/loadtest.ts')).default,
};
