/**
 * The voice thread: every voice connection and audio player of the process lives here, and
 * Opus is encoded here ahead of playback (feed.ts). The packet timer of @discordjs/voice runs
 * every 20 ms on this thread's event loop, which does nothing else, so nothing the bot does
 * on its main thread (database, REST, pictures, garbage collection of a large heap) can delay a
 * packet. Gateway payloads pass through the main thread (protocol.ts).
 */
import { Readable } from 'node:stream';
import tls from 'node:tls';
import { parentPort, workerData } from 'node:worker_threads';
import {
  AudioPlayerStatus,
  NoSubscriberBehavior,
  StreamType,
  VoiceConnectionStatus,
  createAudioPlayer,
  createAudioResource,
  entersState,
  joinVoiceChannel,
  type AudioPlayer,
  type DiscordGatewayAdapterLibraryMethods,
  type VoiceConnection,
} from '@discordjs/voice';
import { PacketFeed } from './feed.ts';
import type { VoiceCommand, VoiceEvent } from './protocol.ts';

// The same certificate authorities as the main thread (a thread starts with the process defaults).
const ca = (workerData as { ca?: string[] } | undefined)?.ca;
if (ca?.length) tls.setDefaultCACertificates(ca);

/** Missed packets (20 ms each) before a play is given up: a render 10 s late. */
const MAX_MISSED_FRAMES = 500;

interface Voice {
  connection: VoiceConnection;
  player: AudioPlayer;
  adapter?: DiscordGatewayAdapterLibraryMethods;
  playId: number;
  feed?: PacketFeed;
}

const voices = new Map<number, Voice>();
const post = (event: VoiceEvent) => parentPort!.postMessage(event);
const warn = (id: number, message: string) => post({ type: 'warn', id, message });

function join(id: number, guildId: string, channelId: string): void {
  const voice = { playId: 0 } as Voice;
  voice.connection = joinVoiceChannel({
    guildId, channelId, selfDeaf: true,
    group: `player-${id}`, // one connection per player, even for the same guild in two clients
    adapterCreator: (methods) => {
      voice.adapter = methods;
      return {
        sendPayload: (payload) => { post({ type: 'payload', id, payload }); return true; },
        destroy: () => { voice.adapter = undefined; post({ type: 'adapterDestroy', id }); },
      };
    },
  });
  voice.player = createAudioPlayer({ behaviors: { noSubscriber: NoSubscriberBehavior.Pause, maxMissedFrames: MAX_MISSED_FRAMES } });
  voice.connection.subscribe(voice.player);
  voices.set(id, voice);
  voice.player.on(AudioPlayerStatus.Idle, () => post({ type: 'idle', id, playId: voice.playId }));
  voice.player.on('error', (err) => warn(id, `voice playback error: ${err.message}`));
  voice.connection.on('error', (err) => warn(id, `voice connection error: ${err.message}`));
  voice.connection.on('stateChange', (_old, state) => {
    post({ type: 'status', id, status: state.status });
    if (state.status === VoiceConnectionStatus.Destroyed) {
      voice.player.stop(true);
      voices.delete(id);
      post({ type: 'gone', id });
    }
  });
  voice.connection.on(VoiceConnectionStatus.Disconnected, () => {
    // Moved or kicked: give it a moment to reconnect, otherwise leave.
    entersState(voice.connection, VoiceConnectionStatus.Connecting, 5000).catch(() => destroy(voice));
  });
}

/** Ends a connection; `leave`: send the gateway's leave payload (false when the main thread sent it). */
function destroy(voice: Voice, leave = true): void {
  voice.player.stop(true);
  if (voice.connection.state.status !== VoiceConnectionStatus.Destroyed) voice.connection.destroy(leave);
}

function play(id: number, voice: Voice, playId: number, source: Extract<VoiceCommand, { type: 'play' }>['source']): void {
  voice.playId = playId;
  voice.feed = undefined;
  if (source.kind === 'ogg') {
    voice.player.play(createAudioResource(Readable.from([Buffer.from(source.bytes)]), { inputType: StreamType.OggOpus }));
    return;
  }
  const live = source.kind === 'live';
  const feed = new PacketFeed({
    live,
    onStart: (segment) => post({ type: 'started', id, playId, segment }),
    onUnderrun: (totalMs) => post({ type: 'underrun', id, totalMs }),
  });
  if (source.kind === 'live') {
    for (const s of source.segments) feed.append(s.segment, s.pcm);
  } else {
    feed.append(0, source.pcm, source.kind === 'stream');
    if (source.kind === 'pcm') feed.finish();
  }
  voice.feed = feed;
  voice.player.play(createAudioResource(feed.readable, { inputType: StreamType.Opus }));
}

function handle(m: VoiceCommand): void {
  if (m.type === 'join') return join(m.id, m.guildId, m.channelId);
  const voice = voices.get(m.id);
  if (!voice) return;
  switch (m.type) {
    case 'gateway':
      if (m.server) voice.adapter?.onVoiceServerUpdate(m.server);
      if (m.state) voice.adapter?.onVoiceStateUpdate(m.state);
      break;
    case 'adapterGone':
      voice.adapter?.destroy();
      break;
    case 'play':
      play(m.id, voice, m.playId, m.source);
      break;
    case 'chunk':
      if (voice.playId === m.playId) voice.feed?.more(m.pcm);
      break;
    case 'end':
      if (voice.playId === m.playId) voice.feed?.finish();
      break;
    case 'append':
      voice.feed?.append(m.segment, m.pcm);
      break;
    case 'drop':
      voice.feed?.drop(m.segments);
      break;
    case 'skip':
      voice.feed?.skip();
      break;
    case 'stop':
      voice.player.stop(true);
      break;
    case 'leave':
      destroy(voice, false);
      break;
  }
}

parentPort!.on('message', (m: VoiceCommand) => {
  try {
    handle(m);
  } catch (e) {
    warn(m.id, (e as Error).message);
  }
});
