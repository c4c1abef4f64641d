/** Synthetic pieces for model tests: small folk-like tunes built from a seed. */
import { writeMidi } from '../../src/engine/midi.ts';
import { parsePieces } from '../../src/engine/pieces.ts';
import type { LoadedPiece } from '../../src/engine/pieces.ts';
import { createRng } from '../../src/engine/random.ts';
import type { Note, Score } from '../../src/engine/score.ts';

const SCALE = [0, 2, 4, 5, 7, 9, 11, 12];

/** A 8-bar tune in 4/4: a repeated 2-bar motif over a scale, eighths and quarters. */
export function tune(seed: number, drums = false): Score {
  const rng = createRng(seed);
  const root = 60 + rng.int(5);
  const motif: { degree: number; length: number }[] = [];
  let beats = 0;
  while (beats < 8) {
    const length = Math.min(rng.next() < 0.6 ? 0.5 : 1, 8 - beats);
    motif.push({ degree: rng.int(SCALE.length), length });
    beats += length;
  }
  const notes: Note[] = [];
  for (let rep = 0; rep < 4; rep++) {
    let t = rep * 8;
    for (const m of motif) {
      notes.push({ pitch: drums ? [36, 38, 42][m.degree % 3] : root + SCALE[m.degree], start: t, duration: m.length, velocity: 90 });
      t += m.length;
    }
  }
  return {
    title: `tune ${seed}`,
    tracks: [{ name: drums ? 'Drums' : 'Melody', program: 0, isDrum: drums, notes }],
    tempos: [{ beat: 0, bpm: 120 }],
    timeSignatures: [{ beat: 0, numerator: 4, denominator: 4 }],
    lengthBeats: 32,
  };
}

/** `count` synthetic pieces, parsed like real files. */
export function pieces(count: number, drums = false): LoadedPiece[] {
  return parsePieces(Array.from({ length: count }, (_, i) => ({ name: `tune-${i}.mid`, bytes: writeMidi(tune(i + 1, drums)) }))).loaded;
}
