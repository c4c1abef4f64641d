import type { FormRecipe } from '../formPlan.ts';
import type { MeterChoice } from '../meter.ts';

/** What defines a genre: its training data, the model kind that learns it and how it is played. */
export interface DataSource {
  /** Folder under the datasets root (e.g. `celtic/ceol_rince_na_heireann`). */
  path: string;
  licence: string;
  description: string;
}

export interface Genre {
  key: string;
  label: string;
  /** Model kind of the shipped model (see src/engine/models/kinds.ts). */
  kind: string;
  /** Default tempo in beats per minute, and the range a random tempo is drawn from. */
  tempo: { default: number; min: number; max: number };
  /** Meters (and tune types) the genre writes, weighted as in its data; a request may name one. */
  meters: MeterChoice[];
  /** How its pieces are built from parts and phrases (see formPlan.ts); through-composed when absent. */
  form?: FormRecipe;
  /** The shipped model's bars are single beats (its data marks 1/4 bars): a bar is several model bars. */
  beatBars?: boolean;
  /** Played feel: swung eighths (the off-beat's place in the beat, 0.5 = straight) and timing spread in ms. */
  feel?: { swing?: number; jitterMs?: number };
  sources: DataSource[];
  /** Transpositions (semitones) used as data augmentation in training. */
  augment: number[];
  /**
   * Default sampling when a request names none: set per genre so that generated pieces'
   * statistics match the data's (measured with `mixtape evaluate`; the figures are in each genre's file).
   */
  sampling?: { temperature: number; topP: number };
  /** A drums-only model's pieces get a stochastic synth lead on top. */
  stochasticLead?: boolean;
}
