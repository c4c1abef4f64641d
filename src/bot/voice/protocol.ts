/**
 * Messages between the bot's main thread and its voice thread (`voice-thread.ts`). The voice
 * thread owns every voice connection and audio player; the main thread keeps the gateway
 * (each connection's adapter is bridged over these messages) and decides what plays.
 * `id` names one GuildPlayer; PCM is 48 kHz stereo interleaved s16.
 */
import type { DiscordGatewayAdapterLibraryMethods } from '@discordjs/voice';

type ServerUpdate = Parameters<DiscordGatewayAdapterLibraryMethods['onVoiceServerUpdate']>[0];
type StateUpdate = Parameters<DiscordGatewayAdapterLibraryMethods['onVoiceStateUpdate']>[0];

/** What a play starts: an Ogg/Opus file, whole PCM, PCM that arrives in chunks, or the endless radio. */
export type PlaySource =
  | { kind: 'ogg'; bytes: Uint8Array }
  | { kind: 'pcm'; pcm: Int16Array }
  | { kind: 'stream'; pcm: Int16Array }
  | { kind: 'live'; segments: { segment: number; pcm: Int16Array }[] };

export type VoiceCommand =
  | { type: 'join'; id: number; guildId: string; channelId: string }
  | { type: 'gateway'; id: number; server?: ServerUpdate; state?: StateUpdate }
  | { type: 'adapterGone'; id: number }
  | { type: 'play'; id: number; playId: number; source: PlaySource }
  /** More PCM of a 'stream' play; `end` when there is no more. */
  | { type: 'chunk'; id: number; playId: number; pcm: Int16Array }
  | { type: 'end'; id: number; playId: number }
  /** The radio: a piece appended to the live play; `drop` removes pieces not started; `skip` ends the one playing. */
  | { type: 'append'; id: number; segment: number; pcm: Int16Array }
  | { type: 'drop'; id: number; segments: number[] }
  | { type: 'skip'; id: number }
  | { type: 'stop'; id: number }
  | { type: 'leave'; id: number };

export type VoiceEvent =
  /** A gateway payload (op 4) the connection asks the main thread to send. */
  | { type: 'payload'; id: number; payload: unknown }
  | { type: 'adapterDestroy'; id: number }
  /** The connection's status ('ready', 'destroyed', ...). */
  | { type: 'status'; id: number; status: string }
  /** The player went idle after `playId` (it ended or was stopped). */
  | { type: 'idle'; id: number; playId: number }
  /** The first packet of a live segment (or of a PCM play, segment 0) went out. */
  | { type: 'started'; id: number; playId: number; segment: number }
  /** Milliseconds of silence the live play has sent for want of audio, in all. */
  | { type: 'underrun'; id: number; totalMs: number }
  | { type: 'warn'; id: number; message: string }
  /** The player's connection is gone; no more events for `id`. */
  | { type: 'gone'; id: number };
