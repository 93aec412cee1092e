// A token bucket: holds up to `capacity` tokens, refilled continuously at `refillPerSecond`. A
// request takes tokens if there are enough; otherwise it is told how long until there would be.
// Time comes from an injected clock (milliseconds), so tests step it instead of sleeping.

export interface TokenBucketOptions {
  /** Most tokens held: the burst a full bucket lets through at once. */
  capacity: number;
  /** Tokens added per second. */
  refillPerSecond: number;
  /** Milliseconds of a monotonic-enough clock. @default Date.now */
  now?: () => number;
}

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private readonly now: () => number;

  constructor(private readonly options: TokenBucketOptions) {
    if (!(options.capacity > 0) || !(options.refillPerSecond > 0)) {
      throw new RangeError('a token bucket needs a positive capacity and refill rate');
    }
    this.now = options.now ?? Date.now;
    this.tokens = options.capacity;
    this.updatedAt = this.now();
  }

  get capacity(): number {
    return this.options.capacity;
  }

  /** Tokens held now. */
  available(): number {
    const now = this.now();
    // A clock that steps back adds nothing (and takes nothing away).
    const elapsedMs = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.options.capacity, this.tokens + (elapsedMs / 1000) * this.options.refillPerSecond);
    this.updatedAt = now;
    return this.tokens;
  }

  /** Milliseconds until `amount` tokens are held; 0 when they are now. */
  waitMs(amount: number): number {
    const missing = amount - this.available();
    return missing <= 0 ? 0 : (missing / this.options.refillPerSecond) * 1000;
  }

  /** Takes `amount` tokens if held; false (and nothing taken) otherwise. */
  tryTake(amount: number): boolean {
    if (this.available() < amount) return false;
    this.tokens -= amount;
    return true;
  }
}
