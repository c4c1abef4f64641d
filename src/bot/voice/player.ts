/**
 * One guild's voice player: a connection to one channel, a queue of tracks, the track now
 * playing and the skip votes for it. It leaves the channel when the queue runs out.
 */
import { Readable } from 'node:stream';
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
  type AudioResource,
  type DiscordGatewayAdapterCreator,
  type VoiceConnection,
} from '@discordjs/voice';
import type { Logger } from 'pino';
import { MixtapeError } from '../../engine/errors.ts';
import type { TrackAudio } from './audio-cache.ts';

export interface QueueItem {
  trackId: string;
  title: string;
  requestedBy: string;
}

/** Fetches (or renders) a queued track's audio. */
export type AudioLoader = (item: QueueItem) => Promise<TrackAudio>;

export interface GuildPlayerOptions {
  guildId: string;
  channelId: string;
  adapterCreator: DiscordGatewayAdapterCreator;
  load: AudioLoader;
  log: Logger;
  /** Called once when the player has left for good. */
  onClose: () => void;
  readyTimeoutMs?: number;
}

const CHUNK = 64 * 1024;

/** A readable stream of PCM bytes in modest chunks. */
function pcmStream(pcm: Int16Array): Readable {
  const buf = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  function* chunks() {
    for (let o = 0; o < buf.length; o += CHUNK) yield buf.subarray(o, Math.min(buf.length, o + CHUNK));
  }
  return Readable.from(chunks());
}

export class GuildPlayer {
  readonly guildId: string;
  readonly channelId: string;
  readonly queue: QueueItem[] = [];
  current: QueueItem | null = null;
  startedAt = 0;
  readonly skipVotes = new Set<string>();
  private readonly connection: VoiceConnection;
  private readonly player: AudioPlayer;
  private readonly opts: GuildPlayerOptions;
  private closed = false;
  private advancing = false;
  /** Set while a live stream (the radio) plays instead of the queue: what /skip does. */
  private liveSkip: (() => void) | null = null;
  private readonly closeListeners: (() => void)[] = [];

  constructor(opts: GuildPlayerOptions) {
    this.opts = opts;
    this.guildId = opts.guildId;
    this.channelId = opts.channelId;
    this.connection = joinVoiceChannel({ guildId: opts.guildId, channelId: opts.channelId, adapterCreator: opts.adapterCreator, selfDeaf: true });
    this.player = createAudioPlayer({ behaviors: { noSubscriber: NoSubscriberBehavior.Pause } });
    this.connection.subscribe(this.player);
    this.player.on(AudioPlayerStatus.Idle, () => void this.advance());
    this.player.on('error', (err) => opts.log.warn({ err: err.message, guildId: this.guildId }, 'voice playback error'));
    this.connection.on('error', (err) => opts.log.warn({ err: err.message, guildId: this.guildId }, 'voice connection error'));
    this.connection.on(VoiceConnectionStatus.Disconnected, () => {
      // Moved or kicked: give it a moment to reconnect, otherwise leave.
      entersState(this.connection, VoiceConnectionStatus.Connecting, 5000).catch(() => this.close());
    });
  }

  /** Resolves when the voice connection is ready; a clear error otherwise. */
  async ready(): Promise<void> {
    try {
      await entersState(this.connection, VoiceConnectionStatus.Ready, this.opts.readyTimeoutMs ?? 15000);
    } catch {
      this.close();
      throw new MixtapeError('UNAVAILABLE', 'Could not connect to the voice channel. Check that I may Connect and Speak there, then try again.');
    }
  }

  /** Adds tracks; returns the queue position of the first (0 = playing now). */
  enqueue(items: QueueItem[]): number {
    if (this.closed) throw new MixtapeError('UNAVAILABLE', 'The player just left the channel. Please try again.');
    if (this.liveSkip) throw new MixtapeError('BAD_ARGUMENT', 'The radio is on in this channel. Use /stop first, then play tracks.');
    const position = this.current ? this.queue.length + 1 : this.queue.length;
    this.queue.push(...items);
    if (!this.current) void this.advance();
    return position;
  }

  /** Skips the current track. */
  skip(): void {
    if (this.liveSkip) this.liveSkip();
    else this.player.stop(true);
  }

  /** True while a live stream plays (the radio). */
  get isLive(): boolean {
    return this.liveSkip !== null;
  }

  /**
   * Plays an endless stream (the radio) instead of the queue; `skip` is what /skip does to it.
   * The player leaves when the stream ends, like when a queue runs out.
   */
  playLive(resource: AudioResource, item: QueueItem, skip: () => void): void {
    if (this.closed) throw new MixtapeError('UNAVAILABLE', 'The player just left the channel. Please try again.');
    if (this.current || this.queue.length) throw new MixtapeError('BAD_ARGUMENT', 'Something is playing in this channel. Use /stop first, then start the radio.');
    this.liveSkip = skip;
    this.setCurrent(item);
    this.player.play(resource);
  }

  /** What /nowplaying shows (the radio changes it at each new piece). */
  setCurrent(item: QueueItem): void {
    this.current = item;
    this.startedAt = Date.now();
    this.skipVotes.clear();
  }

  /** Runs `fn` once when the player leaves (for good). */
  onClosed(fn: () => void): void {
    if (this.closed) fn();
    else this.closeListeners.push(fn);
  }

  /** True once the player has left. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Seconds into the current track. */
  get elapsedSeconds(): number {
    return this.current ? (Date.now() - this.startedAt) / 1000 : 0;
  }

  /** Empties the queue and leaves the channel. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.current = null;
    this.player.stop(true);
    if (this.connection.state.status !== VoiceConnectionStatus.Destroyed) this.connection.destroy();
    this.opts.onClose();
    for (const fn of this.closeListeners.splice(0)) {
      try { fn(); } catch (err) { this.opts.log.warn({ err: (err as Error).message }, 'a close listener failed'); }
    }
  }

  /** Plays the next playable track, or leaves when there is none. */
  private async advance(): Promise<void> {
    if (this.advancing || this.closed) return;
    this.advancing = true;
    try {
      this.current = null;
      this.skipVotes.clear();
      while (!this.closed) {
        const item = this.queue.shift();
        if (!item) { this.close(); return; }
        try {
          const audio = await this.opts.load(item);
          if (this.closed) return;
          const resource = audio.pcm
            ? createAudioResource(pcmStream(audio.pcm), { inputType: StreamType.Raw })
            : createAudioResource(Readable.from([Buffer.from(audio.ogg ?? [])]), { inputType: StreamType.OggOpus });
          this.current = item;
          this.startedAt = Date.now();
          this.player.play(resource);
          return;
        } catch (err) {
          this.opts.log.warn({ err: (err as Error).message, trackId: item.trackId }, 'could not load a queued track; skipping it');
        }
      }
    } finally {
      this.advancing = false;
    }
  }
}
