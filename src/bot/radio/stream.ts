/**
 * The radio's one endless stream, as the main thread sees it: pieces are appended as they are
 * made and played back to back by the voice thread (which encodes them ahead of time), so
 * voice never sees the end of a track. This side keeps the order, which piece is playing (the
 * voice thread says when each starts) and the silence counted when a piece was late
 * (`underrunMs`).
 */
import type { LiveOutput, LiveSource } from '../voice/player.ts';

/** Samples (both channels) per second of 48 kHz stereo. */
const SAMPLES_PER_SECOND = 48000 * 2;
/** Samples per 20 ms frame: each piece is a whole number of frames, so pieces join without a gap. */
const FRAME = 1920;

interface Segment {
  id: number;
  seconds: number;
  startedAt?: number;
  onStart?: () => void;
}

export class RadioStream implements LiveSource {
  private readonly segments: Segment[] = [];
  /** Appended before the output was attached. */
  private readonly waiting: { id: number; pcm: Int16Array }[] = [];
  private output: LiveOutput | null = null;
  private nextId = 1;
  private ended = false;
  /** Milliseconds of silence played because no piece was ready. */
  underrunMs = 0;

  /** Appends a piece; `onStart` runs when its first packet goes out. */
  append(pcm: Int16Array, onStart?: () => void): void {
    if (this.ended) return;
    if (pcm.length % FRAME) {
      // Not a whole frame: pad with silence here rather than let the next piece start mid-frame.
      const padded = new Int16Array(Math.ceil(pcm.length / FRAME) * FRAME);
      padded.set(pcm);
      pcm = padded;
    }
    const id = this.nextId++;
    this.segments.push({ id, seconds: pcm.length / SAMPLES_PER_SECOND, onStart });
    if (this.output) this.output.append(id, pcm);
    else this.waiting.push({ id, pcm });
  }

  /** Pieces appended but not started. */
  get pending(): number {
    return this.segments.filter((s) => s.startedAt === undefined).length;
  }

  /** Seconds left of the piece being played (0 when none). */
  get currentRemainingSeconds(): number {
    const s = this.segments[0];
    return s?.startedAt !== undefined ? Math.max(0, s.seconds - (performance.now() - s.startedAt) / 1000) : 0;
  }

  /** Drops the pieces that have not started (a steer replaces them); returns how many. */
  dropPending(): number {
    const dropped = this.segments.filter((s) => s.startedAt === undefined);
    if (!dropped.length) return 0;
    this.segments.splice(0, this.segments.length, ...this.segments.filter((s) => s.startedAt !== undefined));
    const ids = dropped.map((s) => s.id);
    this.output?.drop(ids);
    for (let k = this.waiting.length - 1; k >= 0; k--) if (ids.includes(this.waiting[k].id)) this.waiting.splice(k, 1);
    return dropped.length;
  }

  /** Ends the piece being played now; the next one starts. */
  skipCurrent(): void {
    if (this.segments[0]?.startedAt === undefined) return;
    this.segments.shift();
    this.output?.skip();
  }

  /** Ends the stream: the player stops and leaves. */
  destroy(): void {
    if (this.ended) return;
    this.ended = true;
    this.segments.length = 0;
    this.waiting.length = 0;
    this.output?.end();
  }

  // LiveSource: called by the player.

  attach(output: LiveOutput): void {
    this.output = output;
    for (const w of this.waiting.splice(0)) output.append(w.id, w.pcm);
  }

  started(id: number): void {
    const k = this.segments.findIndex((s) => s.id === id);
    if (k < 0) return; // dropped meanwhile
    this.segments.splice(0, k); // those before it are over
    const s = this.segments[0];
    s.startedAt = performance.now();
    try { s.onStart?.(); } catch { /* a listener's failure must not stop the music */ }
  }

  underrun(totalMs: number): void {
    this.underrunMs = totalMs;
  }
}
