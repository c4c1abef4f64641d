/**
 * The render stage in one call: Score or MIDI in -> audio files, a piano-roll PNG and PCM out.
 * Synthesis runs in the warm worker while the picture is drawn; encoders run in parallel.
 */
import { MixtapeError } from '../engine/errors.ts';
import { durationSeconds, noteCount, type Score } from '../engine/score.ts';
import { applyExpression, type ExpressionOptions } from './expression.ts';
import { DEFAULT_MAX_BYTES, findFfmpeg, startEncoder, type EncodeFormat } from './ffmpeg.ts';
import { midiToScore, scoreToMidi } from './midi.ts';
import { toS16Interleaved } from './pcm.ts';
import { countMidiNotes } from '../engine/midi.ts';
import { pianoRoll } from './pianoroll.ts';
import { getRenderer, type Renderer } from './renderer.ts';
import type { RenderOptions } from './synth-protocol.ts';
import { applyInstrument, applyVoicing } from './voicing.ts';

export { Renderer, getRenderer, closeRenderers, type RenderedAudio } from './renderer.ts';
export type { RenderOptions } from './synth-protocol.ts';
export { encode, findFfmpeg, keepEncodersWarm, stopIdleEncoders, DEFAULT_MAX_BYTES, type EncodeFormat } from './ffmpeg.ts';
export { pianoRoll } from './pianoroll.ts';
export { integratedLoudness, truePeak, normalizeLoudness, TARGET_LUFS, CEILING_DBTP } from './loudness.ts';
export { opusStream, opusPackets, encodeOpusPackets } from './opus.ts';
export { toS16Interleaved } from './pcm.ts';
export { applyVoicing, applyInstrument, voicingFor, VOICINGS } from './voicing.ts';
export { applyExpression, type ExpressionOptions } from './expression.ts';
export { getInstrument, findInstrument, instrumentNames, INSTRUMENTS } from './instruments.ts';
export { resolveSoundfont, defaultSoundfontPath } from './soundfont.ts';
export { scoreToMidi, midiToScore } from './midi.ts';

/** What renderScore adds to the synthesizer's own options (effects and limits come from there). */
export interface RenderScoreOptions extends Pick<RenderOptions, 'reverb' | 'chorus' | 'maxSeconds' | 'maxNotes'> {
  soundfont?: string;
  /** Lead instrument by name (overrides the genre's lead). */
  instrument?: string;
  /** Apply this genre's voicing (programs per track, dance drums/bass). */
  genre?: string;
  /** Audio formats to encode (default ['ogg']). */
  formats?: EncodeFormat[];
  expression?: ExpressionOptions;
  /** For /continue: notes before this beat are the primer in the picture. */
  primerEndBeat?: number;
  /** Draw the piano roll (default true). */
  picture?: boolean;
  maxBytes?: number;
  ffmpegPath?: string;
  /** Use this renderer instead of the process-wide one. */
  renderer?: Renderer;
}

export interface RenderScoreResult {
  files: { format: EncodeFormat; bytes: Uint8Array }[];
  png: Uint8Array;
  /** 48 kHz stereo interleaved s16le, for voice playback. */
  pcm: Int16Array;
  sampleRate: number;
  durationSeconds: number;
  truncated: boolean;
  noteCount: number;
  /** Integrated loudness (LUFS) and true peak (dBTP) of the audio, as normalised in the synth worker. */
  loudness?: number;
  truePeak?: number;
  /** The score as rendered (voicing and expression applied) and its MIDI. */
  score: Score;
  midi: Uint8Array;
  timings: { renderMs: number; encodeMs: number; imageMs: number };
}

/** Same cap as the engine's MIDI reader. */
export const DEFAULT_MAX_NOTES = 20_000;

const tooMany = (count: number, max: number) =>
  new MixtapeError('TOO_LARGE', `the piece has ${count} notes; the limit is ${max}. Send a shorter piece`);

/** Checks a Score or MIDI and applies voicing and expression: the score and MIDI to synthesise. */
function prepare(input: Score | Uint8Array, o: RenderScoreOptions): { score: Score; midi: Uint8Array; maxNotes: number } {
  const maxNotes = o.maxNotes ?? DEFAULT_MAX_NOTES;
  const isBytes = input instanceof Uint8Array;
  if (isBytes) {
    const n = countMidiNotes(input); // cheap scan first: full parsing of a huge file is slow
    if (n > maxNotes) throw tooMany(n, maxNotes);
  }
  let score = isBytes ? midiToScore(input) : input;
  const count = noteCount(score);
  if (count === 0) throw new MixtapeError('NO_NOTES', 'there are no notes to render; send a MIDI file with notes in it');
  if (count > maxNotes) throw tooMany(count, maxNotes);
  const changed = !isBytes || o.genre !== undefined || o.instrument !== undefined || o.expression !== undefined;
  if (o.genre) score = applyVoicing(score, o.genre, o.instrument);
  else if (o.instrument) score = applyInstrument(score, o.instrument);
  if (o.expression) score = applyExpression(score, o.expression);
  // Untouched user MIDI is rendered as sent (keeps its controllers, bends and exact timing).
  return { score, midi: changed ? scoreToMidi(score) : (input as Uint8Array), maxNotes };
}

/**
 * Streams the audio of a Score or MIDI as interleaved 48 kHz stereo s16 chunks while it is
 * synthesised (the first after ~4 s of audio, its loudness setting the gain): voice playback
 * starts without waiting for the whole piece. @example for await (const pcm of renderPcmStream(midi)) send(pcm)
 */
export async function* renderPcmStream(input: Score | Uint8Array, o: RenderScoreOptions & { firstSeconds?: number; chunkSeconds?: number } = {}): AsyncGenerator<Int16Array> {
  const { midi, maxNotes } = prepare(input, o);
  const renderer = o.renderer ?? getRenderer(o.soundfont);
  const chunks = renderer.renderStream(midi, { reverb: o.reverb, chorus: o.chorus, maxSeconds: o.maxSeconds, maxNotes, firstSeconds: o.firstSeconds, chunkSeconds: o.chunkSeconds });
  for await (const { left, right } of chunks) yield toS16Interleaved(left, right);
}

/** Renders a Score or MIDI bytes to audio files + piano roll + PCM. @example await renderScore(score, { genre: 'celtic', formats: ['ogg', 'mp3'] }) */
export async function renderScore(input: Score | Uint8Array, o: RenderScoreOptions = {}): Promise<RenderScoreResult> {
  const formats = o.formats ?? ['ogg'];
  const { score, midi, maxNotes } = prepare(input, o);
  if (formats.some((f) => f !== 'wav')) findFfmpeg(o.ffmpegPath); // fail before the slow part

  const renderer = o.renderer ?? getRenderer(o.soundfont);
  const t0 = performance.now();
  const rendering = renderer.render(midi, { reverb: o.reverb, chorus: o.chorus, maxSeconds: o.maxSeconds, maxNotes });
  rendering.catch(() => {}); // awaited below; the picture is drawn meanwhile
  // The encoders start now, so their process start overlaps synthesis; the bitrate is chosen
  // for the longest the audio can be (music + the synth's 3 s tail).
  const seconds = Math.min(durationSeconds(score), o.maxSeconds ?? 600) + 3;
  const encoders = formats.map((f) => startEncoder(f, { seconds, maxBytes: o.maxBytes ?? DEFAULT_MAX_BYTES, ffmpegPath: o.ffmpegPath }));
  let audio: Awaited<typeof rendering>;
  let png: Uint8Array;
  let imageMs: number;
  try {
    const t1 = performance.now();
    png = o.picture === false ? new Uint8Array(0) : pianoRoll(score, { primerEndBeat: o.primerEndBeat });
    imageMs = performance.now() - t1;
    audio = await rendering;
  } catch (e) {
    for (const enc of encoders) enc.abort();
    throw e;
  }
  const renderMs = performance.now() - t0; // wall time: the picture overlaps it
  const t2 = performance.now();
  const pcm = toS16Interleaved(audio.left, audio.right);
  const pcm16 = { samples: pcm, sampleRate: audio.sampleRate, channels: 2 as const };
  const bytes = await Promise.all(encoders.map((enc) => enc.finish(pcm16)));
  const encodeMs = performance.now() - t2;
  return {
    files: formats.map((format, i) => ({ format, bytes: bytes[i] })),
    png, pcm, sampleRate: audio.sampleRate, durationSeconds: audio.durationSeconds, truncated: audio.truncated,
    noteCount: audio.noteCount, loudness: audio.loudness, truePeak: audio.truePeak, score, midi, timings: { renderMs, encodeMs, imageMs },
  };
}
