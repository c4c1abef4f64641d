/** The slash command registry: one line per command. */
import type { BotCommand } from '../types.ts';
import { compose } from './compose.ts';
import { continueCommand } from './continue.ts';
import { mixtape } from './mixtape.ts';
import { play } from './play.ts';
import { queue } from './queue.ts';
import { skip } from './skip.ts';
import { stop } from './stop.ts';
import { nowplaying } from './nowplaying.ts';
import { train } from './train.ts';
import { models } from './models.ts';
import { track } from './track.ts';
import { profile } from './profile.ts';
import { help } from './help.ts';
import { settings } from './settings.ts';
import { radio } from './radio.ts';
import { remix } from './remix.ts';

export const commands: readonly BotCommand[] = [
  compose,
  continueCommand,
  mixtape,
  play,
  queue,
  skip,
  stop,
  nowplaying,
  train,
  models,
  track,
  profile,
  radio,
  remix,
  help,
  settings,
];
