/** A deterministic source of randomness (mulberry32). */
export interface Random {
  next(): number;
  int(below: number): number;
  pick<T>(items: readonly T[]): T;
  digits(count: number): string;
}

/**
 * A small seeded generator: same seed, same sequence, in Node and in browsers.
 *
 * @example
 * ```ts
 * createRandom(7).int(10); // always the same digit for seed 7
 * ```
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number): number => Math.floor(next() * below);
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(items.length)] as T,
    digits: (count) => {
      let out = '';
      for (let i = 0; i < count; i++) out += String(int(10));
      return out;
    },
  };
}
