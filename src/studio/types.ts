/**
 * The studio is the one door from the bot (or any other front end) to the music:
 * it runs engine -> render and returns plain bytes. The bot knows nothing of tensors.
 */

export type AudioFormat = 'ogg' | 'mp3' | 'wav';

/** Where a personal model's bytes come from: the bot loads them from storage and passes them in. */
export interface PersonalModelRef {
  id: string;
  name: string;
  /** The serialized model (one blob: description + weights), as produced by `trainPersonal`. */
  bytes: Uint8Array;
}

export interface ComposeRequest {
  /** Genre key (celtic, classical, jazz, game, pop, dance). Ignored when `model` is given, except for voicing. */
  genre: string;
  bars: number;
  temperature?: number;
  topP?: number;
  /** Beats per minute; the genre's default when absent. */
  tempo?: number;
  /** Instrument name (piano, acoustic guitar, music box, strings, flute, synth lead, ...). */
  instrument?: string;
  seed?: number;
  model?: PersonalModelRef;
  /** The meter, e.g. "6/8"; the genre's data decides when absent. A continuation keeps its primer's. */
  meter?: string;
  /** A dance-tune type (reel, jig, slip jig, hornpipe, polka, slide, waltz): its meter and tempo. */
  tuneType?: string;
  /** A MIDI file to continue (`/continue`, "extend"): the result holds the primer and then `bars` new bars. */
  primerMidi?: Uint8Array;
  formats?: AudioFormat[];
}

export interface StageTimings {
  generateMs: number;
  renderMs: number;
  encodeMs: number;
  imageMs: number;
}

export interface ComposeResult {
  title: string;
  genre: string;
  modelName: string;
  bars: number;
  tempo: number;
  seed: number;
  temperature: number;
  /** The meter written (e.g. "6/8") and the tune type, when there is one. */
  meter: string;
  tuneType?: string;
  instrument: string;
  durationSeconds: number;
  midi: Uint8Array;
  /** One entry per requested format. */
  audio: { format: AudioFormat; bytes: Uint8Array }[];
  png: Uint8Array;
  /** 48 kHz stereo interleaved s16le PCM, for voice playback. */
  pcm?: Int16Array;
  timings: StageTimings;
}

export interface TrainRequest {
  /** The member's MIDI files (already size-checked by the caller). */
  files: { name: string; bytes: Uint8Array }[];
  baseGenre: string;
  name: string;
  maxSeconds?: number;
}

export interface TrainProgress {
  epoch: number;
  epochs: number;
  loss: number;
  valLoss?: number;
  fraction: number;
}

export interface TrainResult {
  bytes: Uint8Array;
  card: Record<string, unknown>;
}

export type ProgressFn = (p: { stage: string; fraction: number; detail?: string }) => void;
