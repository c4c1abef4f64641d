/**
 * Seedable randomness: the same seed gives the same music. mulberry32 is tiny, fast and
 * good enough for sampling (not for cryptography).
 */

export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal sample (Box-Muller). */
  normal(): number;
}

/** Hash any string or number to a 32-bit unsigned seed (FNV-1a). @example seedFrom('celtic') */
export function seedFrom(value: string | number): number {
  const s = String(value);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A mulberry32 generator. @example createRng(42).int(6) // same value every run */
export function createRng(seed: number | string = 0): Rng {
  let state = (typeof seed === 'number' && Number.isInteger(seed) ? seed : seedFrom(seed)) >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | null = null;
  return {
    next,
    int: (n) => Math.floor(next() * Math.max(0, Math.floor(n))),
    normal: () => {
      if (spare !== null) {
        const v = spare;
        spare = null;
        return v;
      }
      const u = 1 - next(); // (0, 1]: log is finite
      const r = Math.sqrt(-2 * Math.log(u));
      const a = 2 * Math.PI * next();
      spare = r * Math.sin(a);
      return r * Math.cos(a);
    },
  };
}

/**
 * Sample an index from unnormalized non-negative weights; -1 when all are zero or invalid.
 * @example categorical([0, 1, 0], createRng(1)) // 1
 */
export function categorical(probs: ArrayLike<number>, rng: Rng): number {
  let total = 0;
  for (let i = 0; i < probs.length; i++) if (probs[i] > 0 && Number.isFinite(probs[i])) total += probs[i];
  if (!(total > 0)) return -1;
  let r = rng.next() * total;
  let last = -1;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i];
    if (!(p > 0) || !Number.isFinite(p)) continue;
    last = i;
    r -= p;
    if (r < 0) return i;
  }
  return last; // floating-point leftovers land on the last positive weight
}

/** Fisher-Yates shuffle into a new array. @example shuffled([1,2,3], createRng(0)) */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
