/**
 * The remix effects a member may choose, what each does, and the request's checks: light
 * enough for the bot to load at start (the rendering is in remix.ts).
 */
import { MixtapeError } from '../engine/errors.ts';
import { CURVE_EFFECTS, type CurveEffect } from '../engine/remix/transform.ts';
import { SPECTRAL_EFFECTS, type SpectralEffect } from '../render/spectral.ts';
import type { AudioFormat } from './types.ts';

export const REMIX_EFFECTS = [...CURVE_EFFECTS, ...SPECTRAL_EFFECTS] as const;
export type RemixEffect = CurveEffect | SpectralEffect;

/** What each effect does, for help texts. */
export const REMIX_DESCRIPTIONS: Record<RemixEffect, string> = {
  drift: 'pitch drifts through the key (Brownian motion)',
  'tempo-walk': 'tempo wanders bar by bar (random walk)',
  chaos: 'dynamics from the logistic map (chaos)',
  'pan-walk': 'the instruments wander left and right (random walk)',
  timbre: 'instrument changes at Poisson-timed moments, filter cutoff in Brownian motion',
  'pitch-shift': 'spectral pitch shift, same duration',
  'time-stretch': 'spectral time stretch, same pitch',
  freeze: 'spectral freeze: moments held and ringing on',
  blur: 'spectral blur: notes smeared into a wash',
  shimmer: 'an octave-up echo under the sound',
};

export interface RemixRequest {
  /** The piece's stored MIDI (as voiced). */
  midi: Uint8Array;
  title: string;
  genre: string;
  instrument: string;
  temperature: number;
  effect: RemixEffect;
  seed: number;
  /** 0..1 (default 1): how strong a curve, freeze, blur or shimmer is. */
  amount?: number;
  /** pitch-shift: -12..12 (default 5). */
  semitones?: number;
  /** time-stretch: 0.5..2 (default 1.25). */
  factor?: number;
  formats?: AudioFormat[];
}

/** Checks a remix request's numbers; a MixtapeError that says what to change. */
export function checkRemix(req: Pick<RemixRequest, 'effect' | 'amount' | 'semitones' | 'factor' | 'seed'>): void {
  const bad = (m: string) => { throw new MixtapeError('BAD_ARGUMENT', m); };
  if (!(REMIX_EFFECTS as readonly string[]).includes(req.effect)) bad(`unknown effect "${req.effect}"; choose one of ${REMIX_EFFECTS.join(', ')}`);
  if (req.amount !== undefined && !(req.amount >= 0 && req.amount <= 1)) bad(`amount must be from 0 to 1 (got ${req.amount})`);
  if (req.semitones !== undefined && !(Number.isInteger(req.semitones) && Math.abs(req.semitones) <= 12 && req.semitones !== 0)) bad(`semitones must be a whole number from -12 to 12, not 0 (got ${req.semitones})`);
  if (req.factor !== undefined && !(req.factor >= 0.5 && req.factor <= 2)) bad(`factor must be from 0.5 to 2 (got ${req.factor})`);
  if (!Number.isInteger(req.seed) || req.seed < 0) bad(`seed must be a whole number of 0 or more (got ${req.seed})`);
}
