import type { ModelCallProgress } from '../../contracts/stream';
import { StreamWindow, type StreamWindowOptions } from '../gates/output/stream-window';

// What a streaming model call heartbeats: the characters received, and the prefix the stream
// window lets out. Heartbeat details are the side channel `askStream` reads (contracts/stream.ts):
// the server keeps only the latest in the run's mutable state, so tokens never become history.

export interface StreamProgressOptions extends StreamWindowOptions {
  /** The activity attempt, so a reader can tell this attempt's text from a failed one's. */
  attempt: number;
  /** Least time between two runs of the window's detectors; the chunks between only heartbeat. */
  intervalMs: number;
  /** @default performance.now */
  now?: () => number;
}

/** Turns a provider's chunks into heartbeat details carrying only gated text. */
export class StreamProgress {
  private readonly window: StreamWindow;
  private lastRelease = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;

  constructor(
    private readonly heartbeat: (details: ModelCallProgress) => void,
    private readonly options: StreamProgressOptions,
  ) {
    this.window = new StreamWindow(options);
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * A chunk arrived. The window's detectors run over the whole text, so they run at most once per
   * interval (the SDK sends at most one heartbeat per interval anyway); every chunk still heartbeats.
   */
  onChunk(receivedCharacters: number, text: string): void {
    const now = this.now();
    if (now - this.lastRelease >= this.options.intervalMs) {
      this.window.update(text);
      this.lastRelease = now;
    }
    this.heartbeat({ receivedCharacters, released: this.window.text, attempt: this.options.attempt });
  }

  /** The stream ended: release the rest, gated. */
  finish(text: string): void {
    const released = this.window.flush(text);
    this.heartbeat({ receivedCharacters: text.length, released, attempt: this.options.attempt });
  }
}
