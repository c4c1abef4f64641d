/** Meters, tune types, form plans, and generation that follows a plan (with a stand-in network). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { beatSteps, choiceFor, finalNoteStep, holdNoteStep, parseMeter, pickMeter, stepsPerBarOfMeter, tuneType } from '../../src/engine/meter.ts';
import { arrangeByPlan, placeCloses, planForm } from '../../src/engine/formPlan.ts';
import type { FormRecipe } from '../../src/engine/formPlan.ts';
import { createRng } from '../../src/engine/random.ts';
import { generatePlanned } from '../../src/engine/generate.ts';
import { pitchDurationCodec } from '../../src/engine/models/codecs/pitchDuration.ts';
import { polyphonicCodec } from '../../src/engine/models/codecs/polyphonic.ts';
import type { StepModel } from '../../src/engine/models/stepModel.ts';
import type { Codec } from '../../src/engine/models/codecs/codec.ts';
import { MixtapeError } from '../../src/engine/errors.ts';

const AABB: FormRecipe = { parts: 'AABB', partBars: 8, phraseBars: 4, restate: 0, restateBars: 2, vary: 0, hold: 0, secondEnding: true };

test('meters: steps per bar, felt beats, where closing and held notes start', () => {
  assert.deepEqual(parseMeter('6/8'), { numerator: 6, denominator: 8 });
  assert.equal(stepsPerBarOfMeter(parseMeter('9/8')), 18);
  assert.equal(beatSteps(parseMeter('6/8')), 6);
  assert.equal(beatSteps(parseMeter('3/4')), 4);
  assert.equal(finalNoteStep(parseMeter('4/4')), 8);
  assert.equal(finalNoteStep(parseMeter('6/8')), 6);
  assert.equal(finalNoteStep(parseMeter('3/4')), 4);
  assert.equal(finalNoteStep(parseMeter('2/4')), 4);
  assert.equal(holdNoteStep(parseMeter('4/4')), 12);
  assert.equal(holdNoteStep(parseMeter('12/8')), 18);
  for (const bad of ['7', '4/3', '0/4', '33/8', 'jig']) assert.throws(() => parseMeter(bad), MixtapeError);
});

test('tune types name their meter; the data weights pick meters; an asked meter wins', () => {
  assert.equal(tuneType('Slip-Jig').meter.numerator, 9);
  assert.equal(tuneType('jig').meter.denominator, 8);
  assert.throws(() => tuneType('tango'), /reel, hornpipe, jig/);
  const choices = [{ meter: parseMeter('4/4'), weight: 3 }, { meter: parseMeter('6/8'), weight: 1 }];
  assert.equal(pickMeter(choices, 0.7).meter.numerator, 4);
  assert.equal(pickMeter(choices, 0.8).meter.numerator, 6);
  assert.equal(choiceFor(choices, { meter: parseMeter('6/8') })!.meter.numerator, 6);
  assert.equal(choiceFor(choices, { type: tuneType('waltz') })!.meter.numerator, 3);
  assert.equal(choiceFor(choices, {}), null);
});

test('an AABB plan repeats each part with a second-time ending and closes on the last bar', () => {
  const plan = planForm(AABB, 32, createRng(1));
  assert.equal(plan.length, 32);
  for (let b = 8; b < 15; b++) assert.equal(plan[b].copyOf, b - 8, `bar ${b + 1} plays bar ${b - 7} again`);
  assert.equal(plan[15].copyOf, undefined, 'the repeat of A has its own last bar');
  for (let b = 24; b < 31; b++) assert.equal(plan[b].copyOf, b - 8);
  for (let b = 0; b < 8; b++) assert.equal(plan[b].copyOf, undefined);
  for (let b = 16; b < 24; b++) assert.equal(plan[b].copyOf, undefined, 'B is new');
  assert.equal(plan[31].close, 'final');
  assert.equal(plan[0].sounding, true);
});

test('restated phrases, varied repeats and phrase-end holds follow their chances', () => {
  const always: FormRecipe = { ...AABB, restate: 1, vary: 1, hold: 1 };
  const plan = planForm(always, 16, createRng(2));
  assert.deepEqual([plan[4].copyOf, plan[5].copyOf], [0, 1], 'the second phrase opens like the first');
  assert.equal(plan[3].close, 'hold');
  assert.ok(plan.filter((p) => p.copyOf !== undefined).every((p) => p.vary), 'every repeat varied at vary 1');
  const never = planForm({ ...AABB, parts: 'A', partBars: 64 }, 16, createRng(2));
  assert.ok(never.every((p) => p.copyOf === undefined));
});

test('a continuation plan covers only the new bars and may restate the primer', () => {
  const plan = planForm({ ...AABB, restate: 1 }, 4, createRng(3), { primerBars: 4 });
  assert.equal(plan.length, 4);
  assert.deepEqual([plan[0].copyOf, plan[1].copyOf], [0, 1], 'bars 5-6 restate the primer bars 1-2');
  assert.equal(plan[3].close, 'final');
  assert.equal(plan[0].sounding, undefined);
});

test('placeCloses puts a bar of four model bars together: closing at beat 3, silence after', () => {
  const placed = placeCloses([{ copyOf: 0 }, { close: 'final' }], parseMeter('4/4'), 4);
  assert.deepEqual(placed.slice(0, 4).map((p) => p.copyOf), [0, 1, 2, 3]);
  assert.deepEqual([placed[6].close, placed[6].closeAt, placed[6].closeSteps], ['final', 0, 8]);
  assert.equal(placed[7].silent, true);
  const jig = placeCloses([{ close: 'final' }, { close: 'hold' }], parseMeter('6/8'));
  assert.deepEqual([jig[0].closeAt, jig[1].closeAt], [6, 6]);
});

test('arrangeByPlan copies bars of a line and ends it on the tonic', () => {
  const notes = [0, 1, 2, 3, 4, 5, 6, 7].map((b) => ({ pitch: 60 + b, start: b * 2, duration: 2, velocity: 90 }));
  const out = arrangeByPlan(notes, [{}, {}, { copyOf: 0 }, { close: 'final' }], parseMeter('4/4'), 7);
  const bar = (b: number) => out.filter((n) => n.start >= b * 4 && n.start < b * 4 + 4).map((n) => n.pitch);
  assert.deepEqual(bar(2), bar(0));
  const last = out[out.length - 1];
  assert.equal(last.pitch % 12, 7);
  assert.equal(last.start, 14);
  assert.equal(last.start + last.duration, 16);
});

/** A network stand-in: seeded random logits, so every choice is the sampler's and the rules'. */
function randomModel(codec: Codec, seed: number): StepModel {
  const rng = createRng(seed);
  return {
    reset: () => {},
    reorder: () => {},
    step: (inputs) => inputs.map(() => codec.heads.map((size) => Float32Array.from({ length: size }, () => 3 * rng.normal()))),
  };
}

function barsOfNotes(notes: { pitch: number; start: number }[], barBeats: number): string[][] {
  const bars: string[][] = [];
  for (const n of notes) (bars[Math.floor(n.start / barBeats + 1e-9)] ??= []).push(`${n.start % barBeats}:${n.pitch}`);
  return bars;
}

for (const codec of [pitchDurationCodec, polyphonicCodec]) {
  test(`${codec.name}: generation follows a plan: exact repeats, whole bars, a tonic ending held to the bar line`, () => {
    const meter = parseMeter('6/8');
    const plan = placeCloses(planForm(AABB, 16, createRng(4)), meter);
    const firstEvents: Record<string, number> = codec.name === 'polyphonic' ? { 0: 1 } : { [60 * 8 + 8 + 1]: 1 };
    for (const seed of [1, 2, 3]) {
      const take = generatePlanned(
        { model: randomModel(codec, seed), codec, bars: 16, stepsPerBar: 12, seed, firstEvents, temperature: 1, topP: 1, key: { root: 2, mode: 'major' } },
        plan,
      );
      assert.equal(codec.barsElapsed(take.sequence), 16);
      const notes = codec.toNotes(take.sequence).notes;
      const bars = barsOfNotes(notes, 3);
      for (let b = 8; b < 15; b++) assert.deepEqual(bars[b] ?? [], bars[b - 8] ?? [], `seed ${seed}: bar ${b + 1} repeats bar ${b - 7}`);
      const lastOnset = Math.max(...notes.map((n) => n.start));
      const closing = notes.filter((n) => n.start === lastOnset);
      assert.equal(lastOnset, 15 * 3 + 1.5, 'the last note starts on the second dotted-quarter beat of the last bar');
      assert.equal(Math.min(...closing.map((n) => n.pitch)) % 12, 2, 'the lowest closing note is the tonic');
      assert.ok(closing.every((n) => n.start + n.duration === 48), 'held to the bar line');
    }
  });
}

test('polyphonic: a bar that must sound never comes out empty', () => {
  const codec = polyphonicCodec;
  // A network that always wants to end the bar at once.
  const eager: StepModel = { reset: () => {}, reorder: () => {}, step: (inputs) => inputs.map(() => [Float32Array.from({ length: codec.heads[0] }, (_, t) => (t === 0 ? 20 : 0))]) };
  const take = generatePlanned({ model: eager, codec, bars: 2, stepsPerBar: 16, seed: 1, firstEvents: { 0: 1 } }, [{ sounding: true }, {}]);
  const notes = codec.toNotes(take.sequence).notes;
  assert.ok(notes.some((n) => n.start < 4), 'the first bar has a note');
});
