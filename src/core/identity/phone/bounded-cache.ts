import { CleanRoomError } from '../../errors.js';

/** A memo of at most `capacity` entries that keeps the recently used ones. */
export interface BoundedCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  readonly size: number;
}

/**
 * A two-generation cache: entries go into the young generation; when it is full it becomes
 * the old one and the previous old one is dropped whole; an entry read from the old
 * generation moves back to the young one. That is LRU-ish at the cost of two `Map` calls,
 * with no linked list to maintain and no per-entry bookkeeping.
 *
 * @example
 * ```ts
 * const cache = createBoundedCache<number>(4);
 * cache.set('a', 1);
 * cache.get('a'); // 1
 * ```
 */
export function createBoundedCache<V>(capacity: number): BoundedCache<V> {
  if (!Number.isInteger(capacity) || capacity < 2) {
    throw new CleanRoomError(
      'invalid_argument',
      `Cannot create a bounded cache as asked: capacity must be an integer of 2 or more, current value is ${capacity}`,
    );
  }
  const generationSize = Math.floor(capacity / 2);
  let young = new Map<string, V>();
  let old = new Map<string, V>();

  function set(key: string, value: V): void {
    if (young.size >= generationSize) {
      old = young;
      young = new Map();
    }
    young.set(key, value);
  }

  return {
    get(key) {
      const value = young.get(key);
      if (value !== undefined) return value;
      const promoted = old.get(key);
      if (promoted !== undefined) {
        old.delete(key);
        set(key, promoted);
      }
      return promoted;
    },
    set,
    get size() {
      return young.size + old.size;
    },
  };
}
