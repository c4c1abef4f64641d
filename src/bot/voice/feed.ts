/**
 * PCM in, Opus packets out, for one play in the voice thread. Segments of 48 kHz stereo s16
 * are read as one continuous signal, cut into 20 ms frames and encoded a few seconds ahead of
 * playback in short slices, so the 20 ms packet timer only ever takes a ready packet.
 *
 * A 'track' feed ends when its last segment is closed and played; while an open segment
 * waits for more PCM (a render still running) it gives nothing and the player sends
 * silence. A 'live' feed (the radio) never ends by itself: with nothing queued it plays
 * silence frames and counts them (`underrunMs`).
 */
import { Readable } from 'node:stream';
import type OpusScriptType from 'opusscript';
import { opusEncoder } from '../../render/opus.ts';

/** Samples (both channels) in one 20 ms frame at 48 kHz stereo. */
export const FRAME_SAMPLES = 1920;
/** Opus's silence frame, as Discord expects it. */
export const SILENCE_PACKET = Buffer.from([0xf8, 0xff, 0xfe]);
/** Packets encoded ahead of playback (3 s): a late thread has this much before anyone hears it. */
const AHEAD = 150;
/** Frames encoded per turn of the event loop (a few ms), so the packet timer is never held up. */
const SLICE = 4;

interface Segment {
  id: number;
  chunks: Int16Array[];
  /** Samples of chunks[0] already framed. */
  at: number;
  /** More chunks may come. */
  open: boolean;
  /** Its first sample is in a frame. */
  framed: boolean;
}

interface Packet {
  data: Buffer;
  /** The segment its first sample came from. */
  segment: number;
  /** Segments whose first sample is in this packet. */
  starts: number[];
}

export interface FeedOptions {
  live: boolean;
  bitrate?: number;
  /** A segment's first packet was handed to the player (into its one-packet buffer: 20 ms before it is sent). */
  onStart?: (segment: number) => void;
  /** The live feed sent silence for want of audio (total ms so far). */
  onUnderrun?: (totalMs: number) => void;
}

export class PacketFeed {
  /** The object-mode stream of Opus packets for `createAudioResource(..., { inputType: StreamType.Opus })`. */
  readonly readable: Readable;
  underrunMs = 0;
  private readonly opts: FeedOptions;
  private readonly segments: Segment[] = [];
  private readonly packets: Packet[] = [];
  private readonly encoder: OpusScriptType;
  /** Segments whose first packet went out, in order; the last is playing. */
  private readonly played: number[] = [];
  private pumping = false;
  /** The stream asked for a packet that was not ready. */
  private wanted = false;
  private closed = false;

  constructor(opts: FeedOptions) {
    this.opts = opts;
    this.encoder = opusEncoder(opts.bitrate);
    // One packet buffered: what is queued later (a steered piece) is heard at once.
    this.readable = new Readable({ objectMode: true, highWaterMark: 1, read: () => this.serve(), destroy: (err, cb) => { this.dispose(); cb(err); } });
  }

  /** Adds a segment; `open` when more of it will come with `more`. */
  append(id: number, pcm: Int16Array, open = false): void {
    if (this.closed) return;
    this.segments.push({ id, chunks: pcm.length ? [pcm] : [], at: 0, open, framed: false });
    this.pump();
  }

  /** More PCM for the last (open) segment. */
  more(pcm: Int16Array): void {
    const last = this.segments.at(-1);
    if (!last?.open || this.closed) return;
    if (pcm.length) last.chunks.push(pcm);
    this.pump();
  }

  /** The last segment is complete. */
  finish(): void {
    const last = this.segments.at(-1);
    if (last) last.open = false;
    this.pump();
    if (this.wanted) this.serve();
  }

  /** Removes segments that have not started playing (their packets too); returns the ids removed. */
  drop(ids: readonly number[]): number[] {
    const gone = new Set(ids.filter((id) => !this.played.includes(id)));
    for (let k = this.segments.length - 1; k >= 0; k--) if (gone.has(this.segments[k].id)) this.segments.splice(k, 1);
    for (let k = this.packets.length - 1; k >= 0; k--) if (gone.has(this.packets[k].segment)) this.packets.splice(k, 1);
    return [...gone];
  }

  /** Ends the segment playing now: the next one follows at once. */
  skip(): void {
    const current = this.played.at(-1);
    if (current === undefined) return;
    for (let k = this.packets.length - 1; k >= 0; k--) if (this.packets[k].segment === current) this.packets.splice(k, 1);
    const k = this.segments.findIndex((s) => s.id === current);
    if (k >= 0) this.segments.splice(k, 1);
    this.pump();
  }

  /** Packets ready and segments waiting (for tests). */
  get queued(): { packets: number; segments: number } {
    return { packets: this.packets.length, segments: this.segments.length };
  }

  /** Hands the player the next packet (called when its one-packet buffer is empty). */
  private serve(): void {
    this.wanted = false;
    let packet = this.packets.shift();
    // The encoder fell behind (or nothing was ahead): encode this one now.
    if (!packet) packet = this.encodeNext(true) ?? undefined;
    if (packet) {
      for (const id of packet.starts) {
        this.played.push(id);
        try { this.opts.onStart?.(id); } catch { /* a listener's failure must not stop the music */ }
      }
      if (this.played.length > 8) this.played.splice(0, this.played.length - 8);
      this.readable.push(packet.data);
      this.pump();
      return;
    }
    if (this.opts.live && !this.closed) {
      this.underrunMs += 20;
      this.opts.onUnderrun?.(this.underrunMs);
      this.readable.push(SILENCE_PACKET);
      return;
    }
    if (!this.opts.live && this.segments.length === 0) {
      this.readable.push(null); // the track is over
      return;
    }
    this.wanted = true; // a render still running: the player sends silence meanwhile
  }

  /** Encodes ahead of playback, SLICE frames per turn of the event loop. */
  private pump(): void {
    if (this.pumping || this.closed) return;
    this.pumping = true;
    const step = () => {
      let n = 0;
      while (!this.closed && this.packets.length < AHEAD && n < SLICE) {
        const p = this.encodeNext(!this.opts.live);
        if (!p) break;
        this.packets.push(p);
        n++;
      }
      if (this.wanted && this.packets.length) this.serve();
      if (n === SLICE && !this.closed && this.packets.length < AHEAD) setImmediate(step);
      else this.pumping = false;
    };
    setImmediate(step);
  }

  /**
   * The next frame, encoded, or null when not enough PCM is queued. `pad`: a last partial
   * frame may be completed with silence (never while a segment is still open).
   */
  private encodeNext(pad: boolean): Packet | null {
    let have = 0;
    let blocked = false;
    for (const s of this.segments) {
      have += s.chunks.reduce((n, c) => n + c.length, 0) - s.at;
      if (have >= FRAME_SAMPLES) break;
      if (s.open) { blocked = true; break; }
    }
    // Empty closed segments still "start" (so whoever waits for them hears of it).
    if (have === 0 && !blocked && this.segments.length) {
      const starts = this.segments.splice(0).filter((s) => !s.framed).map((s) => s.id);
      return starts.length ? { data: SILENCE_PACKET, segment: starts[0], starts } : null;
    }
    if (have < FRAME_SAMPLES && (blocked || !pad || have === 0)) return null;
    const frame = new Int16Array(FRAME_SAMPLES);
    const starts: number[] = [];
    let segment = -1;
    let fill = 0;
    while (fill < FRAME_SAMPLES && this.segments.length) {
      const s = this.segments[0];
      if (!s.chunks.length) {
        if (s.open) break;
        if (!s.framed) starts.push(s.id);
        this.segments.shift();
        continue;
      }
      if (!s.framed) { s.framed = true; starts.push(s.id); }
      if (segment < 0) segment = s.id;
      const c = s.chunks[0];
      const n = Math.min(c.length - s.at, FRAME_SAMPLES - fill);
      frame.set(c.subarray(s.at, s.at + n), fill);
      fill += n;
      s.at += n;
      if (s.at >= c.length) { s.chunks.shift(); s.at = 0; }
      if (!s.chunks.length && !s.open) this.segments.shift();
    }
    const bytes = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
    // Copy: the encoder hands back a view into its own memory.
    return { data: Buffer.from(this.encoder.encode(bytes, FRAME_SAMPLES / 2)), segment, starts };
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.segments.length = 0;
    this.packets.length = 0;
    this.encoder.delete();
  }
}
