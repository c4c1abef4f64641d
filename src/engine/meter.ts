/**
 * Meters and tune types as plain data: what a bar is (6/8 = two dotted-quarter beats of
 * three eighths), where its strong beats fall, and which meter a dance tune type is in.
 */
import { MixtapeError } from './errors.ts';

/** A time signature without a position: 6/8 is { numerator: 6, denominator: 8 }. */
export interface Meter {
  numerator: number;
  denominator: number;
}

/** A dance-tune type (reel, jig, ...) with its meter and usual tempo in quarter notes per minute. */
export interface TuneType {
  name: string;
  meter: Meter;
  bpm: number;
}

/** A meter (or tune type) a genre writes, and how often its data has it. */
export interface MeterChoice {
  meter: Meter;
  /** Relative frequency in the genre's data. */
  weight: number;
  type?: TuneType;
}

const METER_RE = /^\s*(\d{1,2})\s*\/\s*(\d{1,2})\s*$/;

/**
 * Parses "6/8". Meters whose bar is not a whole number of 16ths, or longer than 32 16ths,
 * are refused with a MixtapeError saying what is possible.
 * @example parseMeter('6/8') // { numerator: 6, denominator: 8 }
 */
export function parseMeter(text: string): Meter {
  const m = METER_RE.exec(text);
  const meter = m ? { numerator: Number(m[1]), denominator: Number(m[2]) } : null;
  if (!meter || ![2, 4, 8, 16].includes(meter.denominator) || meter.numerator < 1 || stepsPerBarOfMeter(meter) > 32) {
    throw new MixtapeError('BAD_ARGUMENT', `unknown meter "${text}"; write it like 4/4, 3/4, 2/4, 6/8, 9/8 or 12/8`);
  }
  return meter;
}

/** "6/8". @example meterName({ numerator: 6, denominator: 8 }) // '6/8' */
export function meterName(meter: Meter): string {
  return `${meter.numerator}/${meter.denominator}`;
}

/** 16th steps in a bar. @example stepsPerBarOfMeter({ numerator: 6, denominator: 8 }) // 12 */
export function stepsPerBarOfMeter(meter: Meter): number {
  return Math.round((meter.numerator * 16) / meter.denominator);
}

/** True for compound meters (6/8, 9/8, 12/8), whose beat is a dotted quarter. @example isCompound({numerator:9,denominator:8}) // true */
export function isCompound(meter: Meter): boolean {
  return meter.denominator === 8 && meter.numerator % 3 === 0 && meter.numerator > 3;
}

/** 16th steps in one felt beat (a dotted quarter in 6/8, a quarter in 3/4). @example beatSteps({numerator:6,denominator:8}) // 6 */
export function beatSteps(meter: Meter): number {
  return isCompound(meter) ? 6 : 16 / meter.denominator;
}

/** Felt beats in a bar. @example beatsInBar({ numerator: 6, denominator: 8 }) // 2 */
export function beatsInBar(meter: Meter): number {
  return Math.max(1, Math.round(stepsPerBarOfMeter(meter) / beatSteps(meter)));
}

/**
 * Where a tune's last note starts in its final bar: on the second half of the bar's beats
 * (beat 3 of 4/4, the second dotted quarter of 6/8, beat 2 of 3/4), so it is held at least a beat.
 * @example finalNoteStep({ numerator: 4, denominator: 4 }) // 8
 */
export function finalNoteStep(meter: Meter): number {
  const beats = beatsInBar(meter);
  return beatSteps(meter) * Math.max(0, Math.ceil(beats / 2) - (beats === 3 ? 1 : 0));
}

/**
 * Where a phrase's held note starts in a phrase-end bar: on the bar's last beat.
 * @example holdNoteStep({ numerator: 4, denominator: 4 }) // 12
 */
export function holdNoteStep(meter: Meter): number {
  return beatSteps(meter) * (beatsInBar(meter) - 1);
}

/** Meters a member can ask for by name. */
export const METER_NAMES = ['4/4', '3/4', '2/4', '6/8', '9/8', '12/8'] as const;

/** Irish and British dance-tune types; quarter-note tempos (a jig at dotted quarter 112 is 168). */
export const TUNE_TYPES: Record<string, TuneType> = {
  reel: { name: 'reel', meter: { numerator: 4, denominator: 4 }, bpm: 112 },
  hornpipe: { name: 'hornpipe', meter: { numerator: 4, denominator: 4 }, bpm: 88 },
  jig: { name: 'jig', meter: { numerator: 6, denominator: 8 }, bpm: 168 },
  'slip jig': { name: 'slip jig', meter: { numerator: 9, denominator: 8 }, bpm: 174 },
  slide: { name: 'slide', meter: { numerator: 12, denominator: 8 }, bpm: 186 },
  polka: { name: 'polka', meter: { numerator: 2, denominator: 4 }, bpm: 132 },
  waltz: { name: 'waltz', meter: { numerator: 3, denominator: 4 }, bpm: 150 },
};

/**
 * A tune type by name ("slip-jig" and "slipjig" work too), or a MixtapeError listing them.
 * @example tuneType('jig').meter // { numerator: 6, denominator: 8 }
 */
export function tuneType(name: string): TuneType {
  const key = name.trim().toLowerCase().replace(/[-_]/g, ' ').replace(/^slipjig$/, 'slip jig');
  const type = TUNE_TYPES[key];
  if (!type) throw new MixtapeError('BAD_ARGUMENT', `unknown tune type "${name}"; choose one of: ${Object.keys(TUNE_TYPES).join(', ')}`);
  return type;
}

/**
 * Picks a meter choice by its data weight with a uniform draw u in [0, 1).
 * @example pickMeter([{ meter: { numerator: 4, denominator: 4 }, weight: 1 }], 0.3).meter.numerator // 4
 */
export function pickMeter(choices: readonly MeterChoice[], u: number): MeterChoice {
  const total = choices.reduce((s, c) => s + c.weight, 0);
  let left = u * total;
  for (const c of choices) {
    left -= c.weight;
    if (left < 0) return c;
  }
  return choices[choices.length - 1];
}

/** The choice that matches a meter or tune type a member asked for; the type's meter wins. */
export function choiceFor(choices: readonly MeterChoice[], ask: { meter?: Meter; type?: TuneType }): MeterChoice | null {
  if (ask.type) return choices.find((c) => c.type?.name === ask.type!.name) ?? { meter: ask.type.meter, weight: 1, type: ask.type };
  if (!ask.meter) return null;
  const same = choices.filter((c) => meterName(c.meter) === meterName(ask.meter!));
  return same.sort((a, b) => b.weight - a.weight)[0] ?? { meter: ask.meter, weight: 1 };
}
