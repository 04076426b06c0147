import { ApiError } from './http-error.js';

/** Options of {@link RunLimiter}. */
export interface RunLimitOptions {
  /** Runs at once per collaboration. */
  concurrent: number;
  /** Runs waiting per collaboration before new ones get 429. */
  queued: number;
}

/**
 * Bounds the runs of each collaboration: a few at once, a short queue, then
 * `rate_limited`, so one collaboration's slow queries neither pile up without end nor
 * take the engine's threads from everyone else.
 *
 * @example
 * ```ts
 * const limiter = new RunLimiter({ concurrent: 2, queued: 8 });
 * const run = await limiter.run('c_1', () => room.run(actor, 'c_1', 'overlap', {}));
 * ```
 */
export class RunLimiter {
  readonly #options: RunLimitOptions;
  readonly #state = new Map<string, { active: number; waiting: (() => void)[] }>();

  constructor(options: RunLimitOptions) {
    this.#options = options;
  }

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const state = this.#state.get(key) ?? { active: 0, waiting: [] };
    this.#state.set(key, state);
    if (state.active >= this.#options.concurrent) {
      if (state.waiting.length >= this.#options.queued) {
        throw new ApiError('rate_limited', `Cannot start another run in collaboration ${key}: ${state.active} are running and ${state.waiting.length} waiting; retry later`, {
          retryAfterSeconds: 1,
        });
      }
      await new Promise<void>((resolve) => state.waiting.push(resolve));
    } else {
      state.active += 1;
    }
    try {
      return await work();
    } finally {
      const next = state.waiting.shift();
      // A waiting run inherits the slot, so the count stays right without a race.
      if (next !== undefined) next();
      else {
        state.active -= 1;
        if (state.active === 0) this.#state.delete(key);
      }
    }
  }
}
