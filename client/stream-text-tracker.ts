import type { AnswerStreamEvent } from '../contracts/stream';

// Turns successive readings of a run's released text into stream events. A reading is whatever
// the latest streaming `callModel` heartbeat said; readings are snapshots (a poll can miss some),
// so events are derived by comparing each with what the caller was already shown.

/** The released text of one model call, as last heartbeated. */
export interface ReleasedReading {
  /** The activity id of the call: a different one is another model (a fallback). */
  activityId: string;
  released: string;
}

type TextEvent = Extract<AnswerStreamEvent, { type: 'delta' | 'reset' }>;

/** What the caller has been shown, and the events that bring it up to each new reading. */
export class StreamTextTracker {
  private shown = '';
  private source: string | undefined;

  /** The text the caller has been shown so far (the deltas since the last reset). */
  get text(): string {
    return this.shown;
  }

  /**
   * Events for a new reading. A reading that extends what was shown adds a delta. One that is a
   * prefix of it adds nothing: a restarted attempt catching up (or an attempt's details still
   * showing the failed one's text). Anything else is new text: a reset, then the reading.
   */
  observe(reading: ReleasedReading | undefined): TextEvent[] {
    if (!reading) return [];
    const { activityId, released } = reading;
    if (released.startsWith(this.shown)) {
      this.source = activityId;
      if (released.length === this.shown.length) return [];
      const delta = released.slice(this.shown.length);
      this.shown = released;
      return [{ type: 'delta', text: delta }];
    }
    if (this.shown.startsWith(released)) return [];
    const reason = this.source === undefined || this.source === activityId ? 'retry' : 'fallback';
    this.source = activityId;
    this.shown = released;
    // Not empty here: the empty reading is a prefix of anything shown.
    return [{ type: 'reset', reason }, { type: 'delta', text: released }];
  }
}
