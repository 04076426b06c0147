/** Options of {@link RateLimiter}. */
export interface RateLimitOptions {
  /** Requests a key may make at once after a quiet spell. */
  burst: number;
  /** Tokens added per second. */
  perSecond: number;
  now?: () => number;
}

/**
 * A token bucket per API key id: each request takes one token; an empty bucket answers how
 * many seconds until the next one.
 *
 * @example
 * ```ts
 * const limiter = new RateLimiter({ burst: 60, perSecond: 20 });
 * limiter.take('k0011223344556677'); // 0 when allowed, else seconds to wait
 * ```
 */
export class RateLimiter {
  readonly #burst: number;
  readonly #perSecond: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(options: RateLimitOptions) {
    const { burst, perSecond, now = () => performance.now() } = options;
    this.#burst = burst;
    this.#perSecond = perSecond;
    this.#now = now;
  }

  /** Takes a token for the key; returns 0, or the seconds until a token is available. */
  take(key: string): number {
    const now = this.#now();
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, at: now };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.at) / 1000) * this.#perSecond);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.#perSecond);
  }
}
