/**
 * One guild's voice player: a connection to one channel, a queue of tracks, the track now
 * playing and the skip votes for it. It leaves the channel when the queue runs out. The
 * connection and the packets live in the voice thread (voice-thread.ts); this side bridges the
 * gateway adapter to it and decides what plays.
 */
import type { DiscordGatewayAdapterCreator, DiscordGatewayAdapterImplementerMethods } from '@discordjs/voice';
import { GatewayOpcodes } from 'discord.js';
import type { Logger } from 'pino';
import { MixtapeError } from '../../engine/errors.ts';
import type { TrackAudio } from './audio-cache.ts';
import type { VoiceEvent } from './protocol.ts';
import { THREAD_LOST, openVoiceLink, type VoiceLink } from './thread.ts';

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

/** Where a live play (the radio) sends its pieces, by segment number. */
export interface LiveOutput {
  append(segment: number, pcm: Int16Array): void;
  /** Removes pieces that have not started. */
  drop(segments: number[]): void;
  /** Ends the piece playing now. */
  skip(): void;
  /** Ends the live play (the player then leaves). */
  end(): void;
}

/** The radio's side of a live play: it gets the output and hears when each piece starts. */
export interface LiveSource {
  attach(output: LiveOutput): void;
  started(segment: number): void;
  underrun(totalMs: number): void;
  /** What /skip does. */
  skipCurrent(): void;
}

/** The array itself when it owns its whole buffer (moved to the voice thread), else a copy. */
const movable = (pcm: Int16Array): Int16Array =>
  pcm.byteOffset === 0 && pcm.byteLength === pcm.buffer.byteLength && pcm.buffer instanceof ArrayBuffer ? pcm : pcm.slice();

export class GuildPlayer {
  readonly guildId: string;
  readonly channelId: string;
  readonly queue: QueueItem[] = [];
  current: QueueItem | null = null;
  startedAt = 0;
  readonly skipVotes = new Set<string>();
  private readonly opts: GuildPlayerOptions;
  private readonly link: VoiceLink;
  private readonly adapter: DiscordGatewayAdapterImplementerMethods;
  private status = 'signalling';
  private readyWaiters: ((ok: boolean) => void)[] = [];
  private closed = false;
  private advancing = false;
  /** The play the voice thread is on; its 'idle' advances the queue. */
  private playId = 0;
  /** Set while a live stream (the radio) plays instead of the queue. */
  private live: LiveSource | null = null;
  private readonly closeListeners: (() => void)[] = [];

  constructor(opts: GuildPlayerOptions) {
    this.opts = opts;
    this.guildId = opts.guildId;
    this.channelId = opts.channelId;
    this.link = openVoiceLink((e) => this.onEvent(e));
    // The gateway stays on this thread: its voice events go to the connection, its payloads come back.
    this.adapter = opts.adapterCreator({
      onVoiceServerUpdate: (server) => this.link.send({ type: 'gateway', server }),
      onVoiceStateUpdate: (state) => this.link.send({ type: 'gateway', state }),
      destroy: () => this.link.send({ type: 'adapterGone' }),
    });
    this.link.send({ type: 'join', guildId: opts.guildId, channelId: opts.channelId });
  }

  private onEvent(e: VoiceEvent): void {
    switch (e.type) {
      case 'payload':
        if (!this.adapter.sendPayload(e.payload as Parameters<DiscordGatewayAdapterImplementerMethods['sendPayload']>[0])) {
          this.opts.log.warn({ guildId: this.guildId }, 'voice: the gateway could not send a voice payload');
        }
        break;
      case 'adapterDestroy':
        if (!this.closed) this.adapter.destroy();
        break;
      case 'status':
        this.status = e.status;
        if (e.status === 'ready' || e.status === 'destroyed' || e.status === THREAD_LOST) for (const w of this.readyWaiters.splice(0)) w(e.status === 'ready');
        if (e.status === 'destroyed' || e.status === THREAD_LOST) this.close();
        break;
      case 'idle':
        if (e.playId === this.playId) void this.advance();
        break;
      case 'started':
        if (e.playId === this.playId && this.live) this.live.started(e.segment);
        break;
      case 'underrun':
        this.live?.underrun(e.totalMs);
        break;
      case 'warn':
        this.opts.log.warn({ err: e.message, guildId: this.guildId }, 'voice');
        break;
    }
  }

  /** Resolves when the voice connection is ready; a clear error otherwise. */
  async ready(): Promise<void> {
    const ok = this.status === 'ready' || (!this.closed && await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), this.opts.readyTimeoutMs ?? 15000);
      this.readyWaiters.push((v) => { clearTimeout(timer); resolve(v); });
    }));
    if (!ok) {
      this.close();
      throw new MixtapeError('UNAVAILABLE', 'Could not connect to the voice channel. Check that I may Connect and Speak there, then try again.');
    }
  }

  /** Adds tracks; returns the queue position of the first (0 = playing now). */
  enqueue(items: QueueItem[]): number {
    if (this.closed) throw new MixtapeError('UNAVAILABLE', 'The player just left the channel. Please try again.');
    if (this.live) throw new MixtapeError('BAD_ARGUMENT', 'The radio is on in this channel. Use /stop first, then play tracks.');
    const position = this.current ? this.queue.length + 1 : this.queue.length;
    this.queue.push(...items);
    if (!this.current) void this.advance();
    return position;
  }

  /** Skips the current track. */
  skip(): void {
    if (this.live) return this.live.skipCurrent();
    // The next track is chosen now, not when the voice thread says the old one stopped, so
    // /nowplaying right after /skip already names it.
    this.playId++;
    this.link.send({ type: 'stop' });
    void this.advance();
  }

  /** True while a live stream plays (the radio). */
  get isLive(): boolean {
    return this.live !== null;
  }

  /**
   * Plays an endless stream (the radio) instead of the queue: `source` is given an output for
   * its pieces and told when each starts; /skip calls its `skipCurrent`. The player leaves when
   * the stream ends, like when a queue runs out.
   */
  playLive(source: LiveSource, item: QueueItem): void {
    if (this.closed) throw new MixtapeError('UNAVAILABLE', 'The player just left the channel. Please try again.');
    if (this.current || this.queue.length) throw new MixtapeError('BAD_ARGUMENT', 'Something is playing in this channel. Use /stop first, then start the radio.');
    this.live = source;
    this.setCurrent(item);
    const playId = ++this.playId;
    // What the source has ready goes with the play, so its first packet is music, not silence.
    let first: { segment: number; pcm: Int16Array }[] | null = [];
    source.attach({
      append: (segment, pcm) => {
        const p = movable(pcm);
        if (first) first.push({ segment, pcm: p });
        else this.link.send({ type: 'append', segment, pcm: p }, [p.buffer as ArrayBuffer]);
      },
      drop: (segments) => this.link.send({ type: 'drop', segments }),
      skip: () => this.link.send({ type: 'skip' }),
      end: () => { if (this.playId === playId) this.link.send({ type: 'stop' }); },
    });
    const segments = first;
    first = null;
    this.link.send({ type: 'play', playId, source: { kind: 'live', segments } }, segments.map((s) => s.pcm.buffer as ArrayBuffer));
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
    this.playId++;
    for (const w of this.readyWaiters.splice(0)) w(false);
    // Leave through the gateway at once, from this thread (a shutdown right after still leaves),
    // unless the voice thread's connection is already gone (it left then); then end it there.
    if (this.status !== 'destroyed') {
      this.adapter.sendPayload({ op: GatewayOpcodes.VoiceStateUpdate, d: { guild_id: this.guildId, channel_id: null, self_deaf: true, self_mute: false } });
    }
    this.link.send({ type: 'leave' });
    this.adapter.destroy();
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
          if (audio.pcm || audio.ogg) {
            const playId = ++this.playId;
            this.link.send({ type: 'play', playId, source: audio.pcm ? { kind: 'pcm', pcm: audio.pcm } : { kind: 'ogg', bytes: audio.ogg! } });
          } else if (audio.stream) {
            // Rendered as it plays: it starts with the first chunk, the rest follows.
            const chunks = audio.stream[Symbol.asyncIterator]();
            const first = await chunks.next();
            if (first.done) throw new MixtapeError('NO_NOTES', 'the track has no audio');
            if (this.closed) { void chunks.return?.(undefined); return; }
            const playId = ++this.playId;
            this.link.send({ type: 'play', playId, source: { kind: 'stream', pcm: first.value } });
            void this.pipe(chunks, playId);
          } else {
            throw new MixtapeError('NOT_FOUND', 'the track has no audio');
          }
          this.current = item;
          this.startedAt = Date.now();
          return;
        } catch (err) {
          this.opts.log.warn({ err: (err as Error).message, trackId: item.trackId }, 'could not load a queued track; skipping it');
        }
      }
    } finally {
      this.advancing = false;
    }
  }

  /** Sends the rest of a rendering stream to the voice thread while this play lasts. */
  private async pipe(chunks: AsyncIterator<Int16Array>, playId: number): Promise<void> {
    try {
      for (;;) {
        if (this.closed || this.playId !== playId) { await chunks.return?.(undefined); return; }
        const next = await chunks.next();
        if (next.done) return;
        this.link.send({ type: 'chunk', playId, pcm: next.value });
      }
    } catch (err) {
      this.opts.log.warn({ err: (err as Error).message, guildId: this.guildId }, 'the rest of a track could not be rendered; it ends here');
    } finally {
      this.link.send({ type: 'end', playId });
    }
  }
}
