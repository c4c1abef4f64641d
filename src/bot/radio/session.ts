/**
 * One guild's radio: pieces composed one after another, each continuing from the last bars
 * of the one before (same key, the tempo carried over), joined by a short cross-fade into
 * one endless voice stream. A piece is made while the one before plays; each is saved as a
 * track and announced with its buttons when it starts.
 */
import type { SendableChannels } from 'discord.js';
import { MixtapeError } from '../../engine/errors.ts';
import { createRng, type Rng } from '../../engine/random.ts';
import type { BotContext } from '../types.ts';
import type { GuildPlayer } from '../voice/player.ts';
import { ensureMember } from '../compose-flow.ts';
import { trackMessage } from '../track-message.ts';
import { isOggOpus } from '../voice/loader.ts';
import { RadioStream } from './stream.ts';
import { composePiece, type Piece, type RadioSettings } from './piece.ts';

export { PRIMER_BARS, TRANSITION_SECONDS, type RadioSettings } from './piece.ts';

/** Attempts at a piece before the radio gives up. */
const ATTEMPTS = 3;
/** A steer replaces the waiting piece only when the current one has this long left to play. */
const RESTEER_SECONDS = 6;

export interface RadioDeps {
  ctx: BotContext;
  player: GuildPlayer;
  guildId: string;
  channel: SendableChannels;
  starter: { id: string; name: string };
  settings: RadioSettings;
  seed: number;
  onEnd: () => void;
}

export class RadioSession {
  readonly guildId: string;
  readonly stream = new RadioStream();
  settings: RadioSettings;
  /** Pieces that started playing, in order. */
  readonly played: { trackId: string; title: string }[] = [];
  private readonly deps: RadioDeps;
  private readonly rng: Rng;
  private last: Piece | null = null;
  private current: Piece | null = null;
  private producing: Promise<void> | null = null;
  /** Settings changed while a piece was being made: that piece is not queued. */
  private stale = false;
  private closed = false;

  constructor(deps: RadioDeps) {
    this.deps = deps;
    this.guildId = deps.guildId;
    this.settings = { ...deps.settings };
    this.rng = createRng(deps.seed);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The piece on air, if any. */
  get onAir(): { trackId?: string; title: string } | null {
    return this.current ? { trackId: this.current.trackId, title: this.current.result.title } : null;
  }

  /** Makes the first piece and starts playing; throws what the first piece failed with. */
  async start(): Promise<string> {
    const first = await this.make();
    if (this.closed) throw new MixtapeError('UNAVAILABLE', 'The radio stopped before it began.');
    this.queue(first);
    this.deps.player.onClosed(() => this.close());
    this.deps.player.playLive(this.stream, { trackId: '', title: first.result.title, requestedBy: this.deps.starter.id });
    return first.result.title;
  }

  /** Changes what comes next; the waiting piece is remade when there is time. */
  steer(patch: Partial<RadioSettings>): RadioSettings {
    this.settings = { ...this.settings, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
    if (this.producing) this.stale = true;
    else if (this.stream.pending > 0 && this.stream.currentRemainingSeconds > RESTEER_SECONDS) {
      this.stream.dropPending();
      this.last = this.current;
      this.fill();
    }
    return this.settings;
  }

  /**
   * A vote on the piece on air steers what follows: 👍 keeps the course a little calmer
   * (temperature -0.05), 👎 asks for something else (temperature +0.1, tempo ±6 %).
   */
  feedback(trackId: string, value: 1 | -1): RadioSettings | null {
    if (!this.current || this.current.trackId !== trackId) return null;
    const t = this.settings.temperature ?? this.current.result.temperature;
    const clamp = (x: number, lo: number, hi: number) => Math.round(Math.min(hi, Math.max(lo, x)) * 100) / 100;
    if (value === 1) return this.steer({ temperature: clamp(t - 0.05, 0.5, 1.5) });
    const tempo = this.settings.tempo ?? this.current.result.tempo;
    return this.steer({ temperature: clamp(t + 0.1, 0.5, 1.5), tempo: Math.round(clamp(tempo * (this.rng.next() < 0.5 ? 0.94 : 1.06), 40, 240)) });
  }

  /** Stops making pieces and ends the stream (the player then leaves). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stream.destroy();
    this.deps.onEnd();
  }

  /** Makes the next piece unless one is waiting or being made. */
  private fill(): void {
    if (this.closed || this.producing || this.stream.pending > 0) return;
    this.producing = (async () => {
      try {
        for (;;) {
          this.stale = false;
          const piece = await this.make();
          if (this.closed) return;
          if (this.stale) continue; // steered meanwhile: make it again with the new settings
          this.queue(piece);
          return;
        }
      } catch (e) {
        this.deps.ctx.log.warn({ err: (e as Error).message, guildId: this.guildId }, 'radio: no next piece; stopping');
        await this.deps.channel.send(`📻 The radio stopped: ${e instanceof MixtapeError ? e.message : 'the next piece could not be made.'}`).catch(() => undefined);
        this.deps.player.close();
      } finally {
        this.producing = null;
      }
    })();
  }

  /** Queues a piece in the stream; when it starts it is saved, announced and the next one made. */
  private queue(piece: Piece): void {
    this.last = piece;
    this.stream.append(piece.pcm, () => {
      this.current = piece;
      void this.announce(piece);
      this.fill();
    });
  }

  /** Composes the next piece from the previous one's ending, retrying with new seeds. */
  private async make(): Promise<Piece> {
    let error: unknown;
    for (let attempt = 0; attempt < ATTEMPTS && !this.closed; attempt++) {
      try {
        return await this.compose(this.last);
      } catch (e) {
        error = e;
        if (e instanceof MixtapeError && e.code !== 'UNAVAILABLE') break; // bad settings: another seed won't help
      }
    }
    throw error ?? new MixtapeError('UNAVAILABLE', 'the radio was stopped');
  }

  private compose(previous: Piece | null): Promise<Piece> {
    return composePiece(this.deps.ctx.studio, this.settings, previous, 1 + this.rng.int(2 ** 31 - 2));
  }

  /** Saves the piece as a track and posts the now-playing message with its buttons. */
  private async announce(piece: Piece): Promise<void> {
    const { ctx, starter, guildId, channel, player } = this.deps;
    const r = piece.result;
    player.setCurrent({ trackId: '', title: r.title, requestedBy: starter.id });
    try {
      await ensureMember(ctx.store, starter.id, starter.name, guildId);
      const track = await ctx.store.createTrack({
        guildId, authorId: starter.id, title: r.title, genre: r.genre, bars: r.bars, tempo: r.tempo, seed: r.seed,
        temperature: r.temperature, instrument: r.instrument, midi: r.midi,
        params: { radio: true, continued: piece.continued, durationSeconds: r.durationSeconds },
        // The piece it carries on from: the one that played before it.
        parentTrackId: piece.continued ? this.played.at(-1)?.trackId ?? null : null,
      });
      piece.trackId = track.id;
      if (this.current === piece) player.setCurrent({ trackId: track.id, title: r.title, requestedBy: starter.id });
      this.played.push({ trackId: track.id, title: r.title });
      ctx.audio.set(track.id, { pcm: r.pcm });
      // Like any track: its Ogg/Opus kept so every process can play it again without rendering.
      const ogg = r.audio.find((a) => a.format === 'ogg' && isOggOpus(a.bytes))?.bytes;
      if (ogg) await ctx.store.setTrackAudio(track.id, ogg);
      const message = trackMessage(track, r, { up: 0, down: 0, score: 0 }, ctx.webUrl);
      const sent = await channel.send({ ...message, content: `📻 Now playing on the radio in <#${player.channelId}>` });
      await ctx.store.setTrackMessage(track.id, sent.channelId, sent.id);
    } catch (e) {
      ctx.log.warn({ err: (e as Error).message, guildId }, 'radio: could not save or announce a piece');
    }
  }
}
