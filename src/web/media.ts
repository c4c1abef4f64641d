/**
 * A track's files for the web, made from its stored MIDI: audio (Ogg/Opus and MP3, rendered
 * once and kept in a bounded cache, one rendering at a time so pages stay fast), the piano roll,
 * ABC and MusicXML.
 */
import { readMidi } from '../engine/midi.ts';
import { toAbc, toMusicXml } from '../engine/notation/index.ts';
import type { Score } from '../engine/score.ts';
import type { TrackRecord } from '../storage/types.ts';

export type AudioKind = 'ogg' | 'mp3';

/** Where the web gets a track's audio. */
export interface MediaSource {
  audio(track: TrackRecord, kind: AudioKind): Promise<Uint8Array>;
}

/** A least-recently-used cache bounded by bytes. */
export class ByteCache {
  private map = new Map<string, Uint8Array>();
  private bytes = 0;
  private readonly maxBytes: number;
  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }
  get(key: string): Uint8Array | undefined {
    const v = this.map.get(key);
    if (v) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, v: Uint8Array): void {
    if (v.byteLength > this.maxBytes) return;
    const old = this.map.get(key);
    if (old) this.bytes -= old.byteLength;
    this.map.delete(key);
    this.map.set(key, v);
    this.bytes += v.byteLength;
    for (const [k, b] of this.map) {
      if (this.bytes <= this.maxBytes) break;
      this.map.delete(k);
      this.bytes -= b.byteLength;
    }
  }
  delete(prefix: string): void {
    for (const [k, b] of this.map) if (k.startsWith(prefix)) { this.map.delete(k); this.bytes -= b.byteLength; }
  }
}

/**
 * Audio rendered from the stored MIDI with the project's synthesizer (the MIDI is stored as
 * voiced, so it is rendered as it is). Concurrent requests for one track share one rendering.
 */
export function renderedMedia(options: { soundfont?: string; cacheBytes?: number } = {}): MediaSource {
  const cache = new ByteCache(options.cacheBytes ?? 128 * 1024 * 1024);
  const pending = new Map<string, Promise<void>>();
  let chain: Promise<unknown> = Promise.resolve();
  const render = (track: TrackRecord): Promise<void> => {
    const job = chain.then(async () => {
      const { renderScore } = await import('../render/index.ts');
      const out = await renderScore(track.midi, { formats: ['ogg', 'mp3'], picture: false, soundfont: options.soundfont });
      for (const f of out.files) cache.set(`${track.id}.${f.format}`, f.bytes);
    });
    chain = job.catch(() => undefined);
    return job;
  };
  return {
    async audio(track, kind) {
      const key = `${track.id}.${kind}`;
      const hit = cache.get(key);
      if (hit) return hit;
      let p = pending.get(track.id);
      if (!p) {
        p = render(track).finally(() => pending.delete(track.id));
        pending.set(track.id, p);
      }
      await p;
      return cache.get(key) ?? (await render(track), cache.get(key)!);
    },
  };
}

/** The stored MIDI as a Score titled like the track. */
export const scoreOf = (track: TrackRecord): Score => ({ ...readMidi(track.midi), title: track.title });

/** A track's ABC (celtic tunes name their tune type). */
export const abcOf = (track: TrackRecord): string =>
  toAbc(scoreOf(track), {
    genre: track.genre,
    // The tune type the piece was composed as (its form plan), when it was stored.
    tuneType: typeof track.params.tuneType === 'string' ? track.params.tuneType : undefined,
    notes: [`C:Mixtape (${track.genre}, seed ${track.seed})`],
  });

/** A track's MusicXML. */
export const musicXmlOf = (track: TrackRecord): string => toMusicXml(scoreOf(track));
