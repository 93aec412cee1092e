import type { temporal } from '@temporalio/proto';
import { z } from 'zod';
import type { GateEvidence } from '../../../contracts/gates';

// What the answer pipeline gave its output gates, rebuilt from an execution's history. The
// final result will not do: it holds the answer after the user's redacted values were put back
// (so their own email reads as a leak) and citation quotes cut at 300 characters (so a claim from
// the end of a passage reads as unsupported). The local-activity marker of `runOutputGates`
// records its result but not its input, so the input is rebuilt from the steps before it:
// retrieval's passages, the passage scan's drops and the model activity that produced the text.

/** The text and evidence the pipeline's output gates checked. */
export interface OutputGateInput {
  text: string;
  evidence: GateEvidence[];
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Payloads = temporal.api.common.v1.IPayload[] | null | undefined;
/** Decodes the first payload of a list with the client's data converter. */
export type DecodePayload = (payloads: Payloads) => Promise<unknown>;

const passagesSchema = z.object({
  passages: z.array(z.object({ id: z.string(), documentId: z.string(), chunkIndex: z.number(), text: z.string() })),
});
type Passage = z.infer<typeof passagesSchema>['passages'][number];
const scanSchema = z.object({ flaggedIds: z.array(z.string()) });
const modelTextSchema = z.object({ text: z.string() });
const extractiveSchema = modelTextSchema.extend({
  citations: z.array(
    z.object({ marker: z.number(), documentId: z.string(), chunkIndex: z.number(), quote: z.string() }),
  ),
});
const localActivitySchema = z.object({ activity_type: z.string() });

/** Activity type names of the answer pipeline's steps (the activity functions' names). */
const steps = {
  retrieve: 'retrieveContext', scan: 'scanRetrievedPassages', outputGates: 'runOutputGates',
  providerModel: 'callModel', extractiveModel: 'generateAnswer',
} as const;

type ExtractiveCitations = z.infer<typeof extractiveSchema>['citations'];
type Generated = { text: string } & ({ kind: 'provider' } | { kind: 'extractive'; citations: ExtractiveCitations });

/**
 * Evidence as `evidenceFromCitations(citationsFromMarkers(…))` builds it in the workflow: a
 * provider's answer cites passage n by writing `[n]`; the extractive answer lists its citations.
 * Each cited passage is given in full, its quote only if the passage is gone.
 */
function evidenceFor(generated: Generated, passages: readonly Passage[]): GateEvidence[] {
  if (generated.kind === 'extractive') {
    return generated.citations.map((citation) => {
      const passage = passages.find(
        (chunk) => chunk.documentId === citation.documentId && chunk.chunkIndex === citation.chunkIndex,
      );
      return { marker: citation.marker, text: passage?.text ?? citation.quote };
    });
  }
  const evidence: GateEvidence[] = [];
  for (const match of generated.text.matchAll(/\[(\d{1,3})\]/g)) {
    const marker = Number(match[1]);
    const passage = passages[marker - 1];
    if (passage && !evidence.some((item) => item.marker === marker)) evidence.push({ marker, text: passage.text });
  }
  return evidence;
}

/**
 * The input of the execution's output gates, or undefined when they never ran (stopped earlier,
 * failed closed, or the first pipeline generation, which had none) or a step cannot be read.
 */
export async function outputGateInputFrom(
  events: readonly HistoryEvent[], decode: DecodePayload,
): Promise<OutputGateInput | undefined> {
  const scheduled = new Map<string, string>();
  let passages: Passage[] = [];
  let generated: Generated | undefined;
  let seen: OutputGateInput | undefined;
  for (const event of events) {
    const schedule = event.activityTaskScheduledEventAttributes;
    if (schedule) scheduled.set(String(event.eventId), schedule.activityType?.name ?? '');
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed) {
      const type = scheduled.get(String(completed.scheduledEventId));
      const result = () => decode(completed.result?.payloads);
      if (type === steps.retrieve) passages = passagesSchema.safeParse(await result()).data?.passages ?? [];
      if (type === steps.providerModel) {
        const text = modelTextSchema.safeParse(await result()).data?.text;
        generated = text === undefined ? undefined : { kind: 'provider', text };
      }
      if (type === steps.extractiveModel) {
        const answer = extractiveSchema.safeParse(await result()).data;
        generated = answer && { kind: 'extractive', text: answer.text, citations: answer.citations };
      }
    }
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_local_activity' || !marker.details?.result) continue;
    const type = localActivitySchema.safeParse(await decode(marker.details.data?.payloads)).data?.activity_type;
    if (type === steps.scan) {
      const flagged = new Set(
        scanSchema.safeParse(await decode(marker.details.result.payloads)).data?.flaggedIds ?? [],
      );
      // The model was shown (and numbered) only the passages the scan kept.
      passages = passages.filter((passage) => !flagged.has(passage.id));
    }
    if (type === steps.outputGates && generated) {
      seen = { text: generated.text, evidence: evidenceFor(generated, passages) };
    }
  }
  return seen;
}
