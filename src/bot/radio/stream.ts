/**
 * The radio's one endless PCM stream: pieces are appended as they are made and read back to
 * back, so voice never sees the end of a track. When the next piece is late the stream
 * plays silence (counted in `underrunMs`) instead of ending.
 */
import { Readable } from 'node:stream';

/** 48 kHz stereo s16: bytes per second. */
const BYTES_PER_SECOND = 48000 * 2 * 2;
const CHUNK = 19200; // 100 ms
const SILENCE = Buffer.alloc(3840); // 20 ms

interface Segment {
  bytes: Buffer;
  offset: number;
  started: boolean;
  onStart?: () => void;
}

export class RadioStream extends Readable {
  private readonly segments: Segment[] = [];
  /** Milliseconds of silence played because no piece was ready. */
  underrunMs = 0;

  constructor() {
    // A small buffer: what is appended later (a steered piece) is heard soon.
    super({ highWaterMark: CHUNK * 2 });
  }

  /** Appends a piece; `onStart` runs when its first samples are read for playback. */
  append(pcm: Int16Array, onStart?: () => void): void {
    this.segments.push({ bytes: Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength), offset: 0, started: false, onStart });
  }

  /** Pieces appended but not started. */
  get pending(): number {
    return this.segments.filter((s) => !s.started).length;
  }

  /** Seconds left of the piece being played (0 when none). */
  get currentRemainingSeconds(): number {
    const s = this.segments[0];
    return s?.started ? (s.bytes.length - s.offset) / BYTES_PER_SECOND : 0;
  }

  /** Drops the pieces that have not started (a steer replaces them); returns how many. */
  dropPending(): number {
    const keep = this.segments.filter((s) => s.started);
    const dropped = this.segments.length - keep.length;
    this.segments.splice(0, this.segments.length, ...keep);
    return dropped;
  }

  /** Ends the piece being played now; the next one starts. */
  skipCurrent(): void {
    if (this.segments[0]?.started) this.segments.shift();
  }

  override _read(): void {
    for (;;) {
      const seg = this.segments[0];
      if (!seg) {
        this.underrunMs += 20;
        this.push(SILENCE);
        return;
      }
      if (!seg.started) {
        seg.started = true;
        try { seg.onStart?.(); } catch { /* a listener's failure must not stop the music */ }
      }
      const chunk = seg.bytes.subarray(seg.offset, seg.offset + CHUNK);
      seg.offset += chunk.length;
      if (seg.offset >= seg.bytes.length) this.segments.shift();
      if (chunk.length && !this.push(chunk)) return;
    }
  }
}
