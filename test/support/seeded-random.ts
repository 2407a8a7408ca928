/**
 * A small seeded PRNG (mulberry32) for generated test inputs: the same seed gives the same
 * inputs, so a failure found by a fuzz run is replayed by running again with that seed.
 */
export interface Random {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

/** mulberry32: floats in [0, 1), the same sequence for the same seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seededRandom(seed: number): Random {
  const next = mulberry32(seed);
  return {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
  };
}

/**
 * The seed from `envName` if set (to replay a failure or to explore new inputs), else the
 * fixed default: a test run must be deterministic, so CI always sends the same inputs.
 */
export function fuzzSeed(defaultSeed: number, envName = 'FUZZ_SEED'): number {
  const fromEnv = process.env[envName];
  if (fromEnv !== undefined && fromEnv !== '') {
    const parsed = Number(fromEnv);
    if (!Number.isInteger(parsed) || parsed < 0 || parsed > 0xffffffff) throw new Error(`${envName} must be an integer from 0 to 4294967295, not "${fromEnv}"`);
    return parsed;
  }
  return defaultSeed;
}
