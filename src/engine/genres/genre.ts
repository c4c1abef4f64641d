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
  meter: { numerator: number; denominator: number };
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
