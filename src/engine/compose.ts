/**
 * Composing a piece: pick the model, continue a primer or start fresh, generate exactly
 * the requested bars, and return a Score with tempo, metre and a title. No audio here.
 */
import { randomInt } from 'node:crypto';
import { MixtapeError } from './errors.ts';
import { generate, generateMarkov, sequenceBars } from './generate.ts';
import type { BarPlan } from './formPlan.ts';
import { arrangeByPlan, FREE_FORM, placeCloses, planForm } from './formPlan.ts';
import type { Meter, MeterChoice, TuneType } from './meter.ts';
import { choiceFor, meterName, pickMeter, stepsPerBarOfMeter } from './meter.ts';
import { mainTimeSignature, timeSignatureForSteps } from './quantize.ts';
import type { Take } from './generate.ts';
import type { Genre } from './genres/genre.ts';
import type { Key } from './key.ts';
import { detectKey, keyName, scalePitchClasses } from './key.ts';
import { extractMelody } from './melody.ts';
import type { Model } from './models/model.ts';
import { stepModelOf } from './models/model.ts';
import type { Sequence } from './models/codecs/codec.ts';
import { clipNotes, scoreSequences, sequenceToScore } from './models/sequences.ts';
import { createRng } from './random.ts';
import type { Score } from './score.ts';
import { allNotes, beatsPerBar } from './score.ts';
import { stochasticLead } from './stochastic.ts';
import { titleFor } from './title.ts';

export const MIN_BARS = 1;
export const MAX_BARS = 64;
/** Sampling of genres that set none: a little colder than the model, which keeps melodies in key. */
export const DEFAULT_SAMPLING = { temperature: 0.9, topP: 0.95 };

export interface CompositionRequest {
  model: Model;
  genre: Genre;
  bars: number;
  tempo?: number;
  temperature?: number;
  topP?: number;
  seed?: number;
  key?: Key;
  /** A score to continue; the result holds it unchanged, then the new bars. */
  primer?: Score;
  beam?: { size: number; branchFactor?: number; stepsPerIteration?: number };
  /** Add the genre's arranged parts (e.g. dance's stochastic lead); false gives the model's output alone. */
  accompany?: boolean;
  /** The meter to write; the genre's data decides when absent (a continuation keeps its primer's). */
  meter?: Meter;
  /** A dance-tune type (reel, jig, ...): its meter and tempo. */
  tuneType?: TuneType;
  /** Follow the genre's form plan (repeated parts, phrase ends, a closing cadence); default true. */
  form?: boolean;
}

export interface Composition {
  score: Score;
  title: string;
  seed: number;
  tempo: number;
  temperature: number;
  topP: number;
  /** New bars written (the request's), and bars in the whole score. */
  bars: number;
  totalBars: number;
  key: string | null;
  /** For continuations: where the primer ends (beats). */
  primerEndBeat?: number;
  modelName: string;
  generateMs: number;
  /** The meter written, e.g. '6/8', and the tune type when there is one. */
  meter: string;
  tuneType?: string;
  /** The form followed: the part letter of each new bar (e.g. 'AAAAAAAAAAAAAAAABBBB...' for a reel), '' when free. */
  form: string;
}

/** Checks the numeric options a user may type. */
export function checkRequest(req: { bars: number; temperature?: number; topP?: number; tempo?: number }): void {
  const bad = (msg: string) => {
    throw new MixtapeError('BAD_ARGUMENT', msg);
  };
  if (!Number.isInteger(req.bars) || req.bars < MIN_BARS || req.bars > MAX_BARS) bad(`bars must be a whole number from ${MIN_BARS} to ${MAX_BARS} (got ${req.bars})`);
  if (req.temperature !== undefined && !(req.temperature >= 0.1 && req.temperature <= 2)) bad(`temperature must be from 0.1 to 2 (got ${req.temperature})`);
  if (req.topP !== undefined && !(req.topP > 0 && req.topP <= 1)) bad(`top-p must be above 0 and at most 1 (got ${req.topP})`);
  if (req.tempo !== undefined && !(req.tempo >= 30 && req.tempo <= 300)) bad(`tempo must be from 30 to 300 bpm (got ${req.tempo})`);
}

/** The primer as the model's events, plus where its music starts in the original score. */
function primerSequence(model: Model, primer: Score): { seq: Sequence; offsetBeats: number } {
  const seqs = scoreSequences(primer, model.codec, [0], 1);
  if (seqs.length === 0) throw new MixtapeError('NO_NOTES', 'the MIDI file has no melody to continue; send a file with at least a few notes');
  const seq = seqs[0];
  const decoded = model.codec.toNotes(seq).notes;
  const melody = model.codec.name === 'pitchDuration' ? extractMelody(primer, { minBars: 1, minUniquePitches: 1 }) : null;
  const offsetBeats = melody && melody.length && decoded.length ? melody[0].start - decoded[0].start : 0;
  return { seq, offsetBeats };
}

interface Shape {
  stepsPerBar: number;
  /** Model bars per bar of the piece (pop's model writes a bar per beat). */
  unit: number;
  plan?: BarPlan[];
  /** The plan in the piece's bars (before it is placed in model bars). */
  piecePlan?: BarPlan[];
  key?: Key;
}

function runModel(req: CompositionRequest, shape: Shape, primer: Sequence | undefined, seed: number, temperature: number, topP: number): Take {
  const { model } = req;
  const pitchClasses = req.key ? scalePitchClasses(req.key) : undefined;
  const bars = req.bars * shape.unit;
  const common = { bars, stepsPerBar: shape.stepsPerBar, primer, firstEvents: model.meta.firstEvents, temperature, topP, pitchClasses, seed };
  if (!model.spec) return generateMarkov(model.markov!, model.codec, common);
  const beam = req.beam;
  const how = { model: stepModelOf(model), codec: model.codec, plan: shape.plan, key: shape.key };
  return generate({ ...common, ...how, beamSize: beam?.size, branchFactor: beam?.branchFactor, stepsPerIteration: beam?.stepsPerIteration })[0];
}

/** The meter of a request: asked for, or drawn from the genre's data by the seed. */
function chooseMeter(req: CompositionRequest, seed: number): MeterChoice {
  return choiceFor(req.genre.meters, { meter: req.meter, type: req.tuneType }) ?? pickMeter(req.genre.meters, createRng(seed ^ 0x3e7e).next());
}

/** A continuation keeps its primer's meter (as the model reads its bars). */
function primerMeter(primer: Score, seq: Sequence): Meter {
  const ts = mainTimeSignature(primer);
  const meter = { numerator: ts.numerator, denominator: ts.denominator };
  if (stepsPerBarOfMeter(meter) === seq.stepsPerBar) return meter;
  const { numerator, denominator } = timeSignatureForSteps(seq.stepsPerBar);
  return { numerator, denominator };
}

/**
 * How the model writes the piece: its bar length, model bars per bar, and the form plan (none
 * for beam search, whose hypotheses cannot share copies, or when the request turns form off).
 */
function shapeOf(req: CompositionRequest, meter: Meter, seed: number, primer?: { seq: Sequence; offsetBeats: number }): Shape {
  const barSteps = stepsPerBarOfMeter(meter);
  const beatModel = req.genre.beatBars && !primer && req.model.meta.stepsPerBar < barSteps && barSteps % req.model.meta.stepsPerBar === 0;
  const unit = beatModel ? barSteps / req.model.meta.stepsPerBar : 1;
  const stepsPerBar = primer?.seq.stepsPerBar ?? barSteps / unit;
  if (req.form === false || req.beam || !req.model.spec) return { stepsPerBar, unit };
  const primerBars = primer ? sequenceBars(req.model.codec, primer.seq) : 0;
  const rng = createRng(seed ^ 0xf0a3);
  const piecePlan = planForm(req.genre.form ?? FREE_FORM, req.bars, rng, { primerBars });
  const key = req.key ?? (req.primer ? detectKey(allNotes(req.primer)) ?? undefined : undefined);
  return { stepsPerBar, unit, plan: placeCloses(piecePlan, meter, unit), piecePlan, key };
}

/**
 * Composes (or continues) a piece. Deterministic for a seed.
 * @example compose({ model, genre: getGenre('celtic'), bars: 16, seed: 7 }).score
 */
export function compose(req: CompositionRequest): Composition {
  checkRequest(req);
  const started = performance.now();
  const seed = req.seed ?? randomInt(1, 2 ** 31 - 1);
  const temperature = req.temperature ?? req.genre.sampling?.temperature ?? DEFAULT_SAMPLING.temperature;
  const topP = req.topP ?? req.genre.sampling?.topP ?? DEFAULT_SAMPLING.topP;
  const primerInfo = req.primer ? primerSequence(req.model, req.primer) : undefined;
  const choice = chooseMeter(req, seed);
  const meter = primerInfo ? primerMeter(req.primer!, primerInfo.seq) : choice.meter;
  const shape = shapeOf(req, meter, seed, primerInfo);
  // A take without a single note (a model that fell into silence) is redrawn with the next
  // seed; still deterministic for the request's seed.
  let take = runModel(req, shape, primerInfo?.seq, seed, temperature, topP);
  for (let retry = 1; retry <= 3 && !hasNotes(req.model, take.sequence, primerInfo?.seq); retry++) {
    take = runModel(req, shape, primerInfo?.seq, seed + retry, temperature, topP);
  }
  const barBeats = beatsPerBar({ beat: 0, ...meter });
  const totalBars = take.primerBars / shape.unit + req.bars;
  const tempo = req.tempo ?? req.primer?.tempos[0]?.bpm ?? choice.type?.bpm ?? req.genre.tempo.default;
  let score: Score;
  let primerEndBeat: number | undefined;
  if (req.primer && primerInfo) {
    const primerEnd = req.model.codec.endBeat(primerInfo.seq);
    const all = req.model.codec.toNotes(take.sequence).notes;
    const continuation = all.filter((n) => n.start >= primerEnd - 1e-9).map((n) => ({ ...n, start: n.start + primerInfo.offsetBeats }));
    primerEndBeat = primerEnd + primerInfo.offsetBeats;
    const lengthBeats = Math.max(totalBars * beatsPerBar(req.primer.timeSignatures[0] ?? { beat: 0, numerator: 4, denominator: 4 }), primerEndBeat);
    score = {
      ...req.primer,
      tempos: req.tempo ? [{ beat: 0, bpm: req.tempo }] : req.primer.tempos,
      tracks: [...req.primer.tracks, { name: 'Continuation', program: req.primer.tracks.find((t) => !t.isDrum)?.program ?? 0, isDrum: false, notes: clipNotes(continuation, lengthBeats) }],
      lengthBeats,
    };
  } else {
    score = sequenceToScore(req.model.codec, take.sequence, req.bars * shape.unit, { bpm: tempo, title: '' });
    score = { ...score, timeSignatures: [{ beat: 0, ...meter }] };
    if (req.accompany !== false && req.genre.stochasticLead && score.tracks.every((t) => t.isDrum)) score = withStochasticLead(score, seed, req.key, shape.piecePlan);
  }
  const melodic = allNotes(score);
  const key = req.key ?? detectKey(melodic);
  const title = titleFor(req.genre.key, seed, key ? keyName(key) : null);
  return {
    score: { ...score, title },
    title,
    seed,
    tempo,
    temperature,
    topP,
    bars: req.bars,
    totalBars: Math.round(score.lengthBeats / barBeats),
    key: key ? keyName(key) : null,
    primerEndBeat,
    modelName: req.model.meta.name,
    generateMs: performance.now() - started,
    meter: meterName(meter),
    tuneType: req.primer ? undefined : choice.type?.name,
    form: shape.piecePlan?.map((p) => p.part ?? '').join('') ?? '',
  };
}

/** True when the generated part of a sequence sounds at least one note. */
function hasNotes(model: Model, seq: Sequence, primer?: Sequence): boolean {
  const generated = primer ? { ...seq, tokens: seq.tokens.slice(primer.tokens.length) } : seq;
  return model.codec.toNotes(generated).notes.length > 0;
}

/** Drum-only pieces (dance): the groove under a stochastic synth lead in a minor key. */
function withStochasticLead(score: Score, seed: number, key?: Key, plan?: BarPlan[]): Score {
  const rng = createRng(seed ^ 0x5eed);
  const chosen = key ?? { root: [9, 2, 4, 7, 0][rng.int(5)], mode: 'minor' };
  const pcs = scalePitchClasses(chosen.mode === 'minor' ? { root: chosen.root, mode: 'minor pentatonic' } : { root: chosen.root, mode: 'pentatonic' });
  const stepsPerBar = Math.round(beatsPerBar(score.timeSignatures[0]) * 4);
  const bars = Math.round(score.lengthBeats / beatsPerBar(score.timeSignatures[0]));
  const line = stochasticLead(rng, { bars, stepsPerBar, pitchClasses: pcs, low: 60, high: 79, density: 0.42, step: 1.3 });
  // The lead follows the drums' form: its loops come back with the groove's, and it ends on the tonic.
  const lead = plan ? arrangeByPlan(line, plan, score.timeSignatures[0], chosen.root) : line;
  return { ...score, tracks: [{ name: 'Lead', program: 80, isDrum: false, notes: lead }, ...score.tracks] };
}
