/**
 * REMI-like polyphonic encoding (piano, classical, pop, game): bars, 16th positions,
 * pitches, durations and velocity bins.
 *
 * Tokens (vocab 145 with the defaults):
 *   0            BAR
 *   1..16        POS_0..POS_15  (16th position inside the bar; bars up to 16 steps)
 *   17..104      PITCH_21..PITCH_108 (piano range; other pitches are octave-folded in)
 *   105..136     DUR_1..DUR_32 (16ths; longer notes are clipped to 32)
 *   137..144     VEL_0..VEL_7 (velocity // 16; emitted only when the bin changes)
 * A bar is BAR followed by its notes; a note is [POS_p] [VEL_v] PITCH DUR where POS is written
 * only when the position changes (always for the first note of a bar) and VEL only when the
 * bin changes. Notes at one position are sorted by ascending pitch (a chord = several
 * PITCH DUR). All non-drum tracks are merged into one stream.
 * Lost: tracks/programs, drums, velocity within a bin (decoded to the bin's middle), timing off
 * the 16th grid, durations over 2 bars, duplicate pitches at one position (the longest wins),
 * time-signature changes (one main meter; bars longer than 16 steps are halved when possible,
 * otherwise re-barred as 16 steps).
 */
import type { Note, Score, TimeSignature } from '../score.ts';
import { beatToStep, mainTimeSignature, stepToBeat, stepsPerBarOf, timeSignatureForSteps } from '../quantize.ts';
import { foldPitch } from '../transpose.ts';

export interface PolyphonicConfig {
  maxStepsPerBar: number;
  minPitch: number;
  maxPitch: number;
  maxDuration: number;
  velocityBins: number;
}

export const DEFAULT_POLYPHONIC_CONFIG: PolyphonicConfig = { maxStepsPerBar: 16, minPitch: 21, maxPitch: 108, maxDuration: 32, velocityBins: 8 };

/** Token id ranges of a config. */
export interface PolyphonicLayout {
  bar: number;
  pos: number;
  pitch: number;
  dur: number;
  vel: number;
  size: number;
}

/** Where each token family starts. @example layout().pitch // 17 */
export function layout(config: PolyphonicConfig = DEFAULT_POLYPHONIC_CONFIG): PolyphonicLayout {
  const pos = 1;
  const pitch = pos + config.maxStepsPerBar;
  const dur = pitch + (config.maxPitch - config.minPitch + 1);
  const vel = dur + config.maxDuration;
  return { bar: 0, pos, pitch, dur, vel, size: vel + config.velocityBins };
}

/** Vocabulary size. @example vocabSize() // 145 */
export function vocabSize(config: PolyphonicConfig = DEFAULT_POLYPHONIC_CONFIG): number {
  return layout(config).size;
}

export type PolyphonicKind = 'BAR' | 'POS' | 'PITCH' | 'DUR' | 'VEL' | 'INVALID';

/** Family and value of a token. @example tokenKind(17) // {kind:'PITCH', value:21} */
export function tokenKind(token: number, config: PolyphonicConfig = DEFAULT_POLYPHONIC_CONFIG): { kind: PolyphonicKind; value: number } {
  const l = layout(config);
  if (token === l.bar) return { kind: 'BAR', value: 0 };
  if (token >= l.pos && token < l.pitch) return { kind: 'POS', value: token - l.pos };
  if (token >= l.pitch && token < l.dur) return { kind: 'PITCH', value: token - l.pitch + config.minPitch };
  if (token >= l.dur && token < l.vel) return { kind: 'DUR', value: token - l.dur + 1 };
  if (token >= l.vel && token < l.size) return { kind: 'VEL', value: token - l.vel };
  return { kind: 'INVALID', value: -1 };
}

/** Readable token name. @example tokenName(17) // 'PITCH_21' */
export function tokenName(token: number, config: PolyphonicConfig = DEFAULT_POLYPHONIC_CONFIG): string {
  const { kind, value } = tokenKind(token, config);
  return kind === 'BAR' ? 'BAR' : kind === 'INVALID' ? `?${token}` : `${kind}_${value}`;
}

/** Velocity bin of a MIDI velocity. @example velocityBin(100) // 6 */
export function velocityBin(velocity: number, config: PolyphonicConfig = DEFAULT_POLYPHONIC_CONFIG): number {
  const size = 128 / config.velocityBins;
  return Math.max(0, Math.min(config.velocityBins - 1, Math.floor(velocity / size)));
}

/** Middle velocity of a bin. @example binVelocity(6) // 104 */
export function binVelocity(bin: number, config: PolyphonicConfig = DEFAULT_POLYPHONIC_CONFIG): number {
  const size = 128 / config.velocityBins;
  return Math.min(127, Math.round(bin * size + size / 2));
}

/** The bar length (in 16ths) used for a score: its main meter, fitted to maxStepsPerBar. @example barSteps(score) // 12 */
export function barSteps(score: Score, config: PolyphonicConfig = DEFAULT_POLYPHONIC_CONFIG): number {
  const steps = stepsPerBarOf(mainTimeSignature(score));
  if (steps <= config.maxStepsPerBar) return steps;
  if (steps % 2 === 0 && steps / 2 <= config.maxStepsPerBar) return steps / 2;
  return config.maxStepsPerBar;
}

/**
 * Encode all pitched tracks of a score as one token stream.
 * @example encode(score).slice(0, 5) // [BAR, POS_0, VEL_6, PITCH_60, DUR_4]
 */
export function encode(score: Score, config: PolyphonicConfig = DEFAULT_POLYPHONIC_CONFIG, barLength = barSteps(score, config)): number[] {
  const l = layout(config);
  const stepsPerBar = Math.max(1, Math.min(barLength, config.maxStepsPerBar));
  const byStep = new Map<string, { step: number; pitch: number; dur: number; vel: number }>();
  for (const t of score.tracks) {
    if (t.isDrum) continue;
    for (const n of t.notes) {
      const step = Math.max(0, beatToStep(n.start));
      const pitch = foldPitch(Math.round(n.pitch), config.minPitch, config.maxPitch);
      const dur = Math.max(1, Math.min(config.maxDuration, beatToStep(n.start + n.duration) - step));
      const key = `${step}:${pitch}`;
      const old = byStep.get(key);
      if (!old || old.dur < dur) byStep.set(key, { step, pitch, dur, vel: velocityBin(n.velocity, config) });
    }
  }
  const notes = [...byStep.values()].sort((a, b) => a.step - b.step || a.pitch - b.pitch);
  const lastStep = notes.length ? notes[notes.length - 1].step + 1 : 0;
  const bars = Math.max(Math.ceil(lastStep / stepsPerBar), Math.ceil(beatToStep(score.lengthBeats) / stepsPerBar - 1e-6));
  const tokens: number[] = [];
  let i = 0;
  let vel = -1;
  for (let bar = 0; bar < bars; bar++) {
    tokens.push(l.bar);
    let pos = -1;
    while (i < notes.length && notes[i].step < (bar + 1) * stepsPerBar) {
      const n = notes[i++];
      const p = n.step - bar * stepsPerBar;
      if (p !== pos) tokens.push(l.pos + p);
      pos = p;
      if (n.vel !== vel) tokens.push(l.vel + n.vel);
      vel = n.vel;
      tokens.push(l.pitch + n.pitch - config.minPitch, l.dur + n.dur - 1);
    }
  }
  return tokens;
}

/** Number of bars in a token stream. @example barsOf([0, 1, 77, 108, 0]) // 2 */
export function barsOf(tokens: readonly number[], config: PolyphonicConfig = DEFAULT_POLYPHONIC_CONFIG): number {
  const bar = layout(config).bar;
  let n = 0;
  for (const t of tokens) if (t === bar) n++;
  return n;
}

export interface PolyphonicDecodeOptions {
  stepsPerBar?: number;
  bpm?: number;
  program?: number;
  title?: string;
  /** Meter to write (default: from stepsPerBar, 12 -> 3/4); e.g. 6/8 for 12 steps. */
  timeSignature?: TimeSignature;
}

/**
 * Tokens back to a one-track Score of exactly barsOf(tokens) bars (lengthBeats = bars * stepsPerBar / 4). Tolerant: tokens that
 * break the grammar are skipped, a PITCH without DUR is dropped.
 * @example decode(encode(score)).tracks[0].notes.length
 */
export function decode(tokens: readonly number[], options: PolyphonicDecodeOptions = {}, config: PolyphonicConfig = DEFAULT_POLYPHONIC_CONFIG): Score {
  const stepsPerBar = options.stepsPerBar ?? 16;
  const notes: Note[] = [];
  let bar = -1;
  let pos = 0;
  let vel = binVelocity(velocityBin(80, config), config);
  let pitch = -1;
  for (const t of tokens) {
    const { kind, value } = tokenKind(t, config);
    if (kind === 'BAR') {
      bar++;
      pos = 0;
      pitch = -1;
    } else if (bar < 0) continue;
    else if (kind === 'POS') pos = Math.min(value, stepsPerBar - 1);
    else if (kind === 'VEL') vel = binVelocity(value, config);
    else if (kind === 'PITCH') pitch = value;
    else if (kind === 'DUR' && pitch >= 0) {
      notes.push({ pitch, start: stepToBeat(bar * stepsPerBar + pos), duration: stepToBeat(value), velocity: vel });
      pitch = -1;
    }
  }
  const ts = options.timeSignature ?? timeSignatureForSteps(stepsPerBar);
  const lengthBeats = Math.max(0, bar + 1) * stepToBeat(stepsPerBar);
  // Exactly barsOf(tokens) bars: notes ringing past the last bar line are cut there.
  for (const n of notes) n.duration = Math.min(n.duration, lengthBeats - n.start);
  return {
    title: options.title ?? 'untitled',
    tracks: [{ name: 'Piano', program: options.program ?? 0, isDrum: false, notes }],
    tempos: [{ beat: 0, bpm: options.bpm ?? 120 }],
    timeSignatures: [{ ...ts, beat: 0 }],
    lengthBeats,
  };
}

/**
 * Incremental grammar for constrained generation: push tokens, ask which tokens may follow.
 * Rules: start with BAR; POS strictly increases inside a bar and stays < stepsPerBar; VEL
 * only when the bin changes and only before a PITCH; DUR exactly after PITCH; pitches ascend
 * at one position.
 */
export interface PolyphonicGrammar {
  push(token: number): void;
  /** 1 where a token is allowed next. */
  allowed(): Uint8Array;
  isAllowed(token: number): boolean;
}

/** Create a grammar tracker. @example const g = createGrammar(16); g.push(0); g.isAllowed(1) // true */
export function createGrammar(stepsPerBar = 16, config: PolyphonicConfig = DEFAULT_POLYPHONIC_CONFIG): PolyphonicGrammar {
  const l = layout(config);
  const spb = Math.min(stepsPerBar, config.maxStepsPerBar);
  let last: PolyphonicKind | 'START' = 'START';
  let pos = -1;
  let lastPitch = -1; // last pitch written at the current position
  let vel = -1;
  const push = (token: number) => {
    const { kind, value } = tokenKind(token, config);
    if (kind === 'BAR') {
      pos = -1;
      lastPitch = -1;
    } else if (kind === 'POS') {
      pos = value;
      lastPitch = -1;
    } else if (kind === 'VEL') vel = value;
    else if (kind === 'PITCH') lastPitch = value;
    last = kind;
  };
  const allowed = () => {
    const mask = new Uint8Array(l.size);
    const open = (from: number, to: number) => mask.fill(1, Math.max(from, 0), Math.max(to, from));
    const pitches = () => open(l.pitch + Math.max(0, lastPitch + 1 - config.minPitch), l.dur);
    const velocities = () => {
      if (lastPitch < config.maxPitch) open(l.vel, l.size);
      if (vel >= 0) mask[l.vel + vel] = 0;
    };
    if (last === 'START' || last === 'INVALID') mask[l.bar] = 1;
    else if (last === 'BAR') {
      mask[l.bar] = 1;
      open(l.pos, l.pos + spb);
    } else if (last === 'POS') {
      pitches();
      velocities();
    } else if (last === 'VEL') pitches();
    else if (last === 'PITCH') open(l.dur, l.vel);
    else if (last === 'DUR') {
      mask[l.bar] = 1;
      open(l.pos + pos + 1, l.pos + spb);
      pitches();
      velocities();
    }
    return mask;
  };
  return { push, allowed, isAllowed: (t) => allowed()[t] === 1 };
}

/**
 * Grammar mask after a whole prefix (rescans; use createGrammar for step-by-step generation).
 * @example allowedNext([])[0] // 1 (BAR)
 */
export function allowedNext(prevTokens: readonly number[], stepsPerBar = 16, config: PolyphonicConfig = DEFAULT_POLYPHONIC_CONFIG): Uint8Array {
  const g = createGrammar(stepsPerBar, config);
  for (const t of prevTokens) g.push(t);
  return g.allowed();
}

/** True when a token stream obeys the grammar. @example isValidSequence(encode(score)) // true */
export function isValidSequence(tokens: readonly number[], stepsPerBar = 16, config: PolyphonicConfig = DEFAULT_POLYPHONIC_CONFIG): boolean {
  const g = createGrammar(stepsPerBar, config);
  for (const t of tokens) {
    if (!g.isAllowed(t)) return false;
    g.push(t);
  }
  return true;
}
