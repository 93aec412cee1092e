import { z } from 'zod';
import { answerResultSchema } from './answer';

// Token streaming: what a provider worker heartbeats while a model call streams, and the events a
// caller of `SluiceClient.askStream` (or `POST /v1/answers/stream`) receives. Tokens travel as the
// `callModel` activity's heartbeat details, which the server keeps in the run's mutable state and
// not as history events; only the workflow's final, gated answer is recorded.

/**
 * Heartbeat details of a streaming `callModel` attempt. `released` is the gated prefix of the text
 * so far (activities/gates/output/stream-window.ts); non-streaming calls heartbeat without it.
 */
export const modelCallProgressSchema = z.object({
  receivedCharacters: z.number().int().min(0),
  released: z.string().optional(),
  /** The activity attempt that produced `released` (details outlive a failed attempt). */
  attempt: z.number().int().positive().optional(),
});
export type ModelCallProgress = z.infer<typeof modelCallProgressSchema>;

/** Why the text shown so far must be cleared: the same model started again, or another model took over. */
export const streamResetReasonSchema = z.enum(['retry', 'fallback']);
export type StreamResetReason = z.infer<typeof streamResetReasonSchema>;

const runFields = { workflowId: z.string(), runId: z.string() };

/** One event of an answer stream, in the order a run produces them. */
export const answerStreamEventSchema = z.discriminatedUnion('type', [
  /** The run was started (or an earlier run of the same request id was found). */
  z.object({ type: z.literal('started'), ...runFields }),
  /** New characters of the gated answer so far; append them to what was shown. */
  z.object({ type: z.literal('delta'), text: z.string() }),
  /** A retried attempt or a fallback model started over: clear what was shown. */
  z.object({ type: z.literal('reset'), reason: streamResetReasonSchema }),
  /**
   * The run waits for a reviewer (the draft is not part of the event). The stream ends here unless
   * the caller asked to wait for the decision.
   */
  z.object({
    type: z.literal('pending_review'), ...runFields, group: z.string().optional(), deadline: z.string().optional(),
  }),
  /**
   * The run's result. `replaced`: `result.answer` does not begin with the text streamed (the output
   * gates blocked it, a reviewer edited it, the user's redacted values were restored, a revision
   * rewrote it), so the caller shows `result.answer` instead; otherwise it appends the rest of it.
   */
  z.object({ type: z.literal('final'), ...runFields, result: answerResultSchema, replaced: z.boolean() }),
]);
export type AnswerStreamEvent = z.infer<typeof answerStreamEventSchema>;
export type AnswerStreamEventType = AnswerStreamEvent['type'];
