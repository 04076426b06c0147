/**
 * A set of 64-bit fingerprints in one typed array (open addressing, linear probing),
 * for exact-duplicate removal in bounded, predictable memory: 8 bytes a slot, at most
 * 70% full, so about 11 bytes per distinct record and no per-entry object.
 *
 * Hand-written because a JavaScript `Set` of strings costs ~80 bytes an entry and
 * would hold 10M records' keys in close to 1 GB.
 *
 * @example
 * ```ts
 * const seen = new FingerprintSet();
 * seen.add(1, 2); // true: new
 * seen.add(1, 2); // false: already there
 * ```
 */
export class FingerprintSet {
  #slots: Uint32Array;
  #mask: number;
  #size = 0;

  constructor(initialCapacity = 1 << 16) {
    const capacity = 1 << Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.#slots = new Uint32Array(capacity * 2);
    this.#mask = capacity - 1;
  }

  get size(): number {
    return this.#size;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.#slots.byteLength;
  }

  /** Adds the fingerprint (hi, lo); returns false when it was already present. */
  add(hi: number, lo: number): boolean {
    // (0, 0) marks an empty slot, so that one fingerprint is stored as (0, 1).
    if (hi === 0 && lo === 0) lo = 1;
    if ((this.#size + 1) * 10 > (this.#mask + 1) * 7) this.#grow();
    const inserted = insert(this.#slots, this.#mask, hi, lo);
    if (inserted) this.#size++;
    return inserted;
  }

  #grow(): void {
    const old = this.#slots;
    const capacity = (this.#mask + 1) * 2;
    this.#slots = new Uint32Array(capacity * 2);
    this.#mask = capacity - 1;
    for (let i = 0; i < old.length; i += 2) {
      const hi = old[i]!;
      const lo = old[i + 1]!;
      if (hi !== 0 || lo !== 0) insert(this.#slots, this.#mask, hi, lo);
    }
  }
}

function insert(slots: Uint32Array, mask: number, hi: number, lo: number): boolean {
  let i = (Math.imul(hi ^ lo, 0x9e3779b1) >>> 0) & mask;
  for (;;) {
    const a = slots[i * 2]!;
    const b = slots[i * 2 + 1]!;
    if (a === 0 && b === 0) {
      slots[i * 2] = hi;
      slots[i * 2 + 1] = lo;
      return true;
    }
    if (a === hi && b === lo) return false;
    i = (i + 1) & mask;
  }
}
