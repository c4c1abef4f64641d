/**
 * The main thread's side of the voice thread: one worker per process, started with the first
 * player, each player a numbered link that sends commands and receives its own events.
 */
import tls from 'node:tls';
import { Worker } from 'node:worker_threads';
import type { VoiceCommand, VoiceEvent } from './protocol.ts';

type Handler = (event: VoiceEvent) => void;
/** The status a player gets when the voice thread itself died (its connection never said goodbye). */
export const THREAD_LOST = 'thread-lost';
/** A command without the player id (the link adds it). */
export type LinkCommand = VoiceCommand extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

export interface VoiceLink {
  readonly id: number;
  send(command: LinkCommand, transfer?: ArrayBuffer[]): void;
}

let worker: Worker | undefined;
let nextId = 1;
const handlers = new Map<number, Handler>();

function ensureWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./voice-thread.ts', import.meta.url), { workerData: { ca: tls.getCACertificates('default') } });
  w.on('message', (event: VoiceEvent) => {
    handlers.get(event.id)?.(event);
    if (event.type === 'gone') handlers.delete(event.id);
  });
  const lost = (why: string) => {
    if (worker !== w) return;
    worker = undefined;
    // Every player on it has lost its connection: tell them, as the thread would have.
    for (const [id, handler] of [...handlers]) {
      handler({ type: 'warn', id, message: `the voice thread stopped: ${why}` });
      handler({ type: 'status', id, status: THREAD_LOST });
      handler({ type: 'gone', id });
    }
    handlers.clear();
  };
  w.on('error', (err) => lost(err.message));
  w.on('exit', (code) => lost(`exit code ${code}`));
  // The voice thread never keeps the process alive by itself (the gateway does while the bot runs).
  w.unref();
  worker = w;
  return w;
}

/** A new player's link to the voice thread; `handler` gets its events until 'gone'. */
export function openVoiceLink(handler: Handler): VoiceLink {
  const w = ensureWorker();
  const id = nextId++;
  handlers.set(id, handler);
  return {
    id,
    send(command, transfer) {
      if (worker !== w) return; // the thread is gone; the player was told
      w.postMessage({ ...command, id }, transfer ?? []);
    },
  };
}
