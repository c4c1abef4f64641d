/**
 * Magenta Basic-RNN / Lookback-RNN melody encoding on a 16th-note grid.
 *
 * Tokens: 0 = NO_EVENT (the previous note holds, or silence continues), 1 = NOTE_OFF,
 * 2 + k = NOTE_ON of pitch minPitch + k. Default range 48..95: 48 pitches, vocab 50.
 *
 * Lookback features (Magenta's LookbackEventSequenceEncoderDecoder), for input position t
 * predicting the event at t + 1, with distances d1 = 1 bar and d2 = 2 bars:
 *   [0, V)        one-hot of the event at t
 *   [V, 2V)       one-hot of the event at t + 1 - d1 (what comes next if the music repeats 1 bar back)
 *   [2V, 3V)      one-hot of the event at t + 1 - d2 (NO_EVENT before the start)
 *   [3V, 3V+5)    5 binary counter bits (as -1/+1) of the next step's position in a 2-bar cycle
 *                 ((t + 1) mod 2*stepsPerBar; for 4/4 this equals Magenta's counter)
 *   [3V+5, 3V+7)  1 when the event at t equals the event at t - d1 / t - d2
 * Input size = 3V + 7 (157 for V = 50). Labels: V + 2 classes (52): V + 0 = "repeat the event
 * 1 bar ago", V + 1 = "repeat 2 bars ago"; like Magenta, the 2-bar label wins over the 1-bar
 * label, which wins over the literal event, and NO_EVENT in the first two bars is labelled
 * "repeat 2 bars ago".
 *
 * Lost by the encoding: velocity, anything off the 16th grid, polyphony (notes must be
 * monophonic; overlapping notes are cut at the next onset), and notes outside the range after
 * the octave shift (folded by octaves into range).
 */
import type { Note } from '../score.ts';
import { beatToStep, stepToBeat } from '../quantize.ts';
import { foldPitch, octaveShiftIntoRange } from '../transpose.ts';

export const NO_EVENT = 0;
export const NOTE_OFF = 1;
export const FIRST_NOTE_ON = 2;
export const BINARY_COUNTER_BITS = 5;
export const LOOKBACK_BARS = [1, 2] as const;

export interface MelodyConfig {
  minPitch: number;
  maxPitch: number;
}

export const DEFAULT_MELODY_CONFIG: MelodyConfig = { minPitch: 48, maxPitch: 95 };

export interface MelodyEncodeOptions extends Partial<MelodyConfig> {
  stepsPerBar?: number;
  /** Pad the end with NO_EVENT to a whole bar (default true). */
  padToBar?: boolean;
  /** Velocity of decoded notes. */
  velocity?: number;
}

/** Number of event tokens. @example vocabSize() // 50 */
export function vocabSize(config: MelodyConfig = DEFAULT_MELODY_CONFIG): number {
  return config.maxPitch - config.minPitch + 1 + FIRST_NOTE_ON;
}

/** Readable token name. @example tokenName(14) // 'ON_60' */
export function tokenName(token: number, config: MelodyConfig = DEFAULT_MELODY_CONFIG): string {
  if (token === NO_EVENT) return 'NO_EVENT';
  if (token === NOTE_OFF) return 'NOTE_OFF';
  if (token >= FIRST_NOTE_ON && token < vocabSize(config)) return `ON_${config.minPitch + token - FIRST_NOTE_ON}`;
  return `?${token}`;
}

/** The NOTE_ON token of a pitch, or -1 outside the range. @example noteOnToken(60) // 14 */
export function noteOnToken(pitch: number, config: MelodyConfig = DEFAULT_MELODY_CONFIG): number {
  return pitch >= config.minPitch && pitch <= config.maxPitch ? pitch - config.minPitch + FIRST_NOTE_ON : -1;
}

/**
 * Encode a monophonic melody (beats) into one event per 16th step. Returns the octave shift
 * applied to fit the range (add `-shift` after decoding to get the original register back).
 * @example encodeMelody([{pitch:60,start:0,duration:1,velocity:90}], {stepsPerBar:16}).tokens.slice(0,5) // [14,0,0,0,1]
 */
export function encodeMelody(notes: readonly Note[], options: MelodyEncodeOptions = {}): { tokens: number[]; shift: number } {
  const config = { ...DEFAULT_MELODY_CONFIG, ...pickConfig(options) };
  const stepsPerBar = options.stepsPerBar ?? 16;
  const sorted = [...notes].sort((a, b) => a.start - b.start || b.pitch - a.pitch);
  const shift = octaveShiftIntoRange(sorted, config.minPitch, config.maxPitch);
  const tokens: number[] = [];
  let lastEnd = 0;
  for (let i = 0; i < sorted.length; i++) {
    const start = Math.max(0, beatToStep(sorted[i].start));
    if (start < tokens.length) continue; // same-step onset: the higher note (sorted first) wins
    const nextStart = i + 1 < sorted.length ? beatToStep(sorted[i + 1].start) : Infinity;
    const end = Math.min(Math.max(start + 1, beatToStep(sorted[i].start + sorted[i].duration)), Math.max(start + 1, nextStart));
    while (tokens.length < start) tokens.push(tokens.length === lastEnd && lastEnd > 0 ? NOTE_OFF : NO_EVENT);
    const pitch = foldPitch(sorted[i].pitch + shift, config.minPitch, config.maxPitch);
    tokens.push(noteOnToken(pitch, config));
    while (tokens.length < end) tokens.push(NO_EVENT);
    lastEnd = end;
  }
  const pad = options.padToBar ?? true;
  // The end of the sequence closes the last note, so no NOTE_OFF is needed exactly at a bar line.
  if (tokens.length > 0 && !(pad && tokens.length % stepsPerBar === 0)) tokens.push(NOTE_OFF);
  if (pad) while (tokens.length % stepsPerBar !== 0) tokens.push(NO_EVENT);
  return { tokens, shift };
}

function pickConfig(o: Partial<MelodyConfig>): Partial<MelodyConfig> {
  const out: Partial<MelodyConfig> = {};
  if (o.minPitch !== undefined) out.minPitch = o.minPitch;
  if (o.maxPitch !== undefined) out.maxPitch = o.maxPitch;
  return out;
}

/** Encode with the standard signature shared by all encodings. @example encode(notes).length */
export function encode(notes: readonly Note[], options: MelodyEncodeOptions = {}): number[] {
  return encodeMelody(notes, options).tokens;
}

/**
 * Events back to notes (beats). A note lasts until the next NOTE_ON or NOTE_OFF (or the end).
 * @example decodeMelody([14,0,0,0,1]) // [{pitch:60,start:0,duration:1,velocity:100}]
 */
export function decodeMelody(tokens: readonly number[], options: Partial<MelodyConfig> & { velocity?: number; shift?: number } = {}): Note[] {
  const config = { ...DEFAULT_MELODY_CONFIG, ...pickConfig(options) };
  const vocab = vocabSize(config);
  const velocity = options.velocity ?? 100;
  const shift = options.shift ?? 0;
  const notes: Note[] = [];
  let open: { pitch: number; start: number } | null = null;
  const close = (step: number) => {
    if (open) notes.push({ pitch: open.pitch - shift, start: stepToBeat(open.start), duration: stepToBeat(step - open.start), velocity });
    open = null;
  };
  tokens.forEach((t, step) => {
    if (t === NOTE_OFF) close(step);
    else if (t >= FIRST_NOTE_ON && t < vocab) {
      close(step);
      open = { pitch: config.minPitch + t - FIRST_NOTE_ON, start: step };
    }
  });
  close(tokens.length);
  return notes;
}

/** Alias with the shared signature. @example decode(tokens) */
export const decode = decodeMelody;

/** Size of a lookback input vector. @example lookbackInputSize() // 157 */
export function lookbackInputSize(config: MelodyConfig = DEFAULT_MELODY_CONFIG): number {
  return 3 * vocabSize(config) + BINARY_COUNTER_BITS + LOOKBACK_BARS.length;
}

/** Number of lookback label classes. @example lookbackLabelSize() // 52 */
export function lookbackLabelSize(config: MelodyConfig = DEFAULT_MELODY_CONFIG): number {
  return vocabSize(config) + LOOKBACK_BARS.length;
}

/**
 * Lookback input vector for position t (see the module comment for the layout).
 * @example lookbackInput(tokens, 0, 16).length // 157
 */
export function lookbackInput(tokens: readonly number[], t: number, stepsPerBar: number, config: MelodyConfig = DEFAULT_MELODY_CONFIG): Float32Array {
  const vocab = vocabSize(config);
  const x = new Float32Array(lookbackInputSize(config));
  const at = (i: number) => (i >= 0 && i < tokens.length ? tokens[i] : NO_EVENT);
  x[at(t)] = 1;
  LOOKBACK_BARS.forEach((bars, k) => {
    x[vocab * (k + 1) + at(t + 1 - bars * stepsPerBar)] = 1;
  });
  const counter = (t + 1) % (2 * stepsPerBar);
  for (let b = 0; b < BINARY_COUNTER_BITS; b++) x[3 * vocab + b] = (counter >> b) & 1 ? 1 : -1;
  LOOKBACK_BARS.forEach((bars, k) => {
    const back = t - bars * stepsPerBar;
    if (back >= 0 && tokens[t] === tokens[back]) x[3 * vocab + BINARY_COUNTER_BITS + k] = 1;
  });
  return x;
}

/**
 * Lookback label of the event at each position (labels[i] is the target when predicting tokens[i]).
 * @example lookbackLabels(tokens, 16)[32] // 51 when tokens[32] === tokens[0]
 */
export function lookbackLabels(tokens: readonly number[], stepsPerBar: number, config: MelodyConfig = DEFAULT_MELODY_CONFIG): Int32Array {
  const vocab = vocabSize(config);
  const labels = new Int32Array(tokens.length);
  const farthest = LOOKBACK_BARS[LOOKBACK_BARS.length - 1] * stepsPerBar;
  for (let p = 0; p < tokens.length; p++) {
    labels[p] = tokens[p];
    if (p < farthest && tokens[p] === NO_EVENT) {
      labels[p] = vocab + LOOKBACK_BARS.length - 1;
      continue;
    }
    for (let k = LOOKBACK_BARS.length - 1; k >= 0; k--) {
      const back = p - LOOKBACK_BARS[k] * stepsPerBar;
      if (back >= 0 && tokens[p] === tokens[back]) {
        labels[p] = vocab + k;
        break;
      }
    }
  }
  return labels;
}

/**
 * Turn a predicted label back into an event, given the events so far (the label is for
 * position history.length).
 * @example resolveLookbackLabel(50, history, 16) // history[history.length - 16]
 */
export function resolveLookbackLabel(label: number, history: readonly number[], stepsPerBar: number, config: MelodyConfig = DEFAULT_MELODY_CONFIG): number {
  const vocab = vocabSize(config);
  if (label < vocab) return label;
  const k = label - vocab;
  if (k >= LOOKBACK_BARS.length) return NO_EVENT;
  const back = history.length - LOOKBACK_BARS[k] * stepsPerBar;
  return back >= 0 ? history[back] : NO_EVENT;
}
