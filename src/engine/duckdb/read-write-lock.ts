interface Waiter {
  exclusive: boolean;
  start: () => void;
}

/**
 * An async readers-writer lock: any number of shared holders, or one exclusive holder.
 * Waiters are served in arrival order, so a waiting writer is not starved by a stream of
 * readers, and readers that arrive after it wait for it.
 *
 * @example
 * ```ts
 * const lock = new ReadWriteLock();
 * await lock.shared(() => runQuery());      // many at once
 * await lock.exclusive(() => loadDataset()); // alone
 * ```
 */
export class ReadWriteLock {
  #readers = 0;
  #writing = false;
  readonly #queue: Waiter[] = [];

  shared<T>(work: () => Promise<T>): Promise<T> {
    return this.#run(false, work);
  }

  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.#run(true, work);
  }

  async #run<T>(exclusive: boolean, work: () => Promise<T>): Promise<T> {
    await new Promise<void>((start) => {
      this.#queue.push({ exclusive, start });
      this.#drain();
    });
    try {
      return await work();
    } finally {
      if (exclusive) this.#writing = false;
      else this.#readers -= 1;
      this.#drain();
    }
  }

  #drain(): void {
    for (;;) {
      const next = this.#queue[0];
      if (next === undefined || this.#writing) return;
      if (next.exclusive) {
        if (this.#readers > 0) return;
        this.#writing = true;
      } else {
        this.#readers += 1;
      }
      this.#queue.shift();
      next.start();
    }
  }
}
