/** A tiny seeded PRNG for the render stage (mulberry32): the same seed gives the same expression. */

/** A seeded source of uniform and Gaussian numbers. */
export interface RenderRng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box-Muller). */
  gaussian(): number;
}

/** Creates a mulberry32 generator; `stream` derives independent sequences from one seed. @example mulberry32(7).next() */
export function mulberry32(seed: number, stream = 0): RenderRng {
  let state = (Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(stream + 1, 0xc2b2ae35)) >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gaussian = () => {
    const u = 1 - next(); // (0, 1]: log stays finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  return { next, gaussian };
}
