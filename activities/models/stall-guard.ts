/** Thrown when a stream sends nothing for longer than the stall limit. */
export class StreamStalledError extends Error {
  override readonly name = 'StreamStalledError';
}

/**
 * Aborts a request when nothing arrives for `stallMs`: the response (not streaming) or the
 * next chunk (streaming; `touch()` on each). An SDK's own timeout covers only the wait for
 * headers, so a server that hangs mid-stream would otherwise hold the call until the
 * activity's start-to-close timeout.
 */
export class StallGuard {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private stalled = false;
  private readonly onOuterAbort = () => this.controller.abort();

  constructor(private readonly stallMs: number | undefined, private readonly outer?: AbortSignal) {
    outer?.addEventListener('abort', this.onOuterAbort);
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** A chunk arrived: restart the stall timer. */
  touch(): void {
    if (this.stallMs === undefined) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.stalled = true;
      this.controller.abort();
    }, this.stallMs);
  }

  /** Some SDKs end a stream quietly when aborted; call after the loop so a stall still fails. */
  throwIfStalled(): void {
    if (this.stalled) throw new StreamStalledError(`no response from the provider for ${this.stallMs} ms`);
  }

  /** The abort we caused becomes a StreamStalledError; anything else passes through. */
  translate(error: unknown): unknown {
    return this.stalled ? new StreamStalledError(`no response from the provider for ${this.stallMs} ms`) : error;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onOuterAbort);
  }
}
