/**
 * Where a queued track's audio comes from: the in-memory cache, else the Ogg/Opus the job
 * stored in the database (any process made it), else the Ogg/Opus file on the track's Discord
 * message, else a fresh render of the stored MIDI (when the studio offers it): streamed, so
 * playback starts after the first seconds are synthesised, and cached once complete.
 */
import type { Client } from 'discord.js';
import { MixtapeError } from '../../engine/errors.ts';
import type { Store, TrackRecord } from '../../storage/types.ts';
import type { Studio } from '../types.ts';
import { download } from '../attachments.ts';
import type { AudioCache, TrackAudio } from './audio-cache.ts';
import type { AudioLoader } from './player.ts';

const MAX_OGG_BYTES = 12 * 1024 * 1024;

/** True when an Ogg file carries Opus (the only Ogg the player can stream without ffmpeg). */
export const isOggOpus = (b: Uint8Array): boolean =>
  b.length > 40 && Buffer.from(b.subarray(0, 4)).toString('latin1') === 'OggS' && Buffer.from(b.subarray(0, 200)).includes('OpusHead');

/** The Ogg/Opus attachment of the track's message, or null. */
async function oggFromMessage(client: Client, track: TrackRecord): Promise<Uint8Array | null> {
  if (!track.channelId || !track.messageId) return null;
  try {
    const channel = await client.channels.fetch(track.channelId);
    if (!channel || !channel.isTextBased()) return null;
    const message = await channel.messages.fetch(track.messageId);
    const file = message.attachments.find((a) => a.name.endsWith('.ogg'));
    if (!file) return null;
    const bytes = await download(file.url, MAX_OGG_BYTES, 15000);
    return isOggOpus(bytes) ? bytes : null;
  } catch {
    return null;
  }
}

/** The audio loader used by the voice players. */
export function audioLoader(deps: { client: Client; store: Store; studio: Studio; audio: AudioCache }): AudioLoader {
  return async (item) => {
    const cached = deps.audio.get(item.trackId);
    if (cached) return cached;
    const track = await deps.store.getTrack(item.trackId);
    if (!track) throw new MixtapeError('NOT_FOUND', 'This track was deleted.');
    const stored = await deps.store.getTrackAudio(item.trackId).catch(() => null);
    const ogg = stored && isOggOpus(stored) ? stored : await oggFromMessage(deps.client, track);
    let audio: TrackAudio | null = ogg ? { ogg } : null;
    if (!audio && deps.studio.renderPcmStream) {
      const chunks = deps.studio.renderPcmStream(track.midi, { instrument: track.instrument });
      return { stream: keptWhenWhole(chunks, (pcm) => deps.audio.set(item.trackId, { pcm })) };
    }
    if (!audio && deps.studio.renderPcm) audio = { pcm: await deps.studio.renderPcm(track.midi, { instrument: track.instrument, tempo: track.tempo }) };
    if (!audio) throw new MixtapeError('NOT_FOUND', 'The audio of this track is no longer available.');
    deps.audio.set(item.trackId, audio);
    return audio;
  };
}

/** Passes the chunks on; once the last has passed, `keep` gets the whole audio (not when stopped early). */
async function* keptWhenWhole(chunks: AsyncIterable<Int16Array>, keep: (pcm: Int16Array) => void): AsyncGenerator<Int16Array> {
  const all: Int16Array[] = [];
  for await (const chunk of chunks) {
    all.push(chunk);
    yield chunk;
  }
  const pcm = new Int16Array(all.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of all) { pcm.set(c, at); at += c.length; }
  keep(pcm);
}
