/**
 * Recently made audio, kept in memory for voice playback (the database holds only MIDI).
 * Least recently used entries go first once the byte budget is spent.
 */

/**
 * Playable audio of a track: raw PCM (48 kHz stereo s16) and/or an Ogg/Opus file, or (from
 * the loader only, never cached) PCM chunks still being rendered.
 */
export interface TrackAudio {
  pcm?: Int16Array;
  ogg?: Uint8Array;
  stream?: AsyncIterable<Int16Array>;
}

const sizeOf = (a: TrackAudio): number => (a.pcm?.byteLength ?? 0) + (a.ogg?.byteLength ?? 0);

export class AudioCache {
  private entries = new Map<string, TrackAudio>();
  private bytes = 0;
  private readonly budget: number;

  constructor(budgetBytes: number) {
    this.budget = budgetBytes;
  }

  /** Remembers a track's audio (nothing when it alone exceeds the budget). */
  set(trackId: string, audio: TrackAudio): void {
    this.delete(trackId);
    const size = sizeOf(audio);
    if (size === 0 || size > this.budget) return;
    this.entries.set(trackId, audio);
    this.bytes += size;
    for (const [id, a] of this.entries) {
      if (this.bytes <= this.budget) break;
      this.entries.delete(id);
      this.bytes -= sizeOf(a);
    }
  }

  /** The audio, marking it recently used; undefined when not cached. */
  get(trackId: string): TrackAudio | undefined {
    const a = this.entries.get(trackId);
    if (a) { this.entries.delete(trackId); this.entries.set(trackId, a); }
    return a;
  }

  delete(trackId: string): void {
    const a = this.entries.get(trackId);
    if (a) { this.entries.delete(trackId); this.bytes -= sizeOf(a); }
  }

  get size(): number {
    return this.bytes;
  }
}
