/** What a column's value came to: its hash, or why it is invalid. */
export type CachedValue = { hash: string; reason?: undefined } | { hash?: undefined; reason: string };

/**
 * A per-column memo of raw value -> prepared value, for columns that repeat (first names,
 * last names, zips, states, countries, genders): a hit skips both normalisation and
 * hashing. It switches itself off for a column whose values rarely repeat (emails,
 * phones), where lookups would only cost, and stops growing at `maxEntries`, so memory
 * stays bounded whatever the file.
 *
 * @example
 * ```ts
 * const cache = new ValueCache();
 * cache.get('Smith'); // undefined: a miss
 * cache.set('Smith', { hash: 'e32c...' });
 * cache.get('Smith'); // { hash: 'e32c...' }
 * ```
 */
export class ValueCache {
  readonly #map = new Map<string, CachedValue>();
  readonly #maxEntries: number;
  #lookups = 0;
  #hits = 0;
  #enabled = true;

  constructor(maxEntries = 65_536) {
    this.#maxEntries = maxEntries;
  }

  /** False once the column has proved not to repeat enough to be worth caching. */
  get enabled(): boolean {
    return this.#enabled;
  }

  get(raw: string): CachedValue | undefined {
    const found = this.#map.get(raw);
    this.#lookups++;
    if (found !== undefined) this.#hits++;
    else if (this.#lookups === 16_384 && this.#hits * 16 < this.#lookups) {
      // Fewer than one hit in sixteen over the first 16k values: values that do not
      // repeat (emails, phones), where a lookup only costs.
      this.#enabled = false;
      this.#map.clear();
    }
    return found;
  }

  set(raw: string, value: CachedValue): void {
    if (this.#enabled && this.#map.size < this.#maxEntries) this.#map.set(raw, value);
  }
}
