import type { PiiType } from '../../contracts/gates';
import type { PassageRedaction, ScoredChunk } from '../../contracts/retrieval';
import { detectPii } from '../gates/pii/detect-pii';
import { withoutPublicValues } from '../gates/pii/public-values';
import { redactIrreversibly } from '../gates/pii/redaction';
import { canonicalText } from '../gates/text/normalise';

export type PiiCounts = Partial<Record<PiiType, number>>;

/** One field with its PII replaced by `[REDACTED <TYPE>]`; untouched (not even normalised) when it has none. */
function redactField(text: string, redaction: PassageRedaction, counts: PiiCounts): string {
  const canonical = canonicalText(text);
  const spans = withoutPublicValues(
    detectPii(canonical, redaction.types, redaction.defaultRegion), redaction.publicValues,
  );
  if (spans.length === 0) return text;
  for (const span of spans) counts[span.type] = (counts[span.type] ?? 0) + 1;
  return redactIrreversibly(canonical, spans);
}

/**
 * Removes PII from retrieved passages (text and title) inside the retrieval activity, so a
 * document's card numbers or SSNs never reach workflow history, the model or the citations.
 * Irreversible, like the pii-leak gate: these are not the user's values to give back.
 */
export function redactPassages<T extends ScoredChunk>(
  passages: readonly T[], redaction: PassageRedaction,
): { passages: T[]; countsById: Map<string, PiiCounts> } {
  const countsById = new Map<string, PiiCounts>();
  const redacted = passages.map((passage) => {
    const counts: PiiCounts = {};
    const title = redactField(passage.title, redaction, counts);
    const text = redactField(passage.text, redaction, counts);
    if (Object.keys(counts).length > 0) countsById.set(passage.id, counts);
    return { ...passage, title, text };
  });
  return { passages: redacted, countsById };
}

/** The counts of the given passages added up per type; undefined when none had PII. */
export function totalCounts(ids: readonly string[], countsById: ReadonlyMap<string, PiiCounts>): PiiCounts | undefined {
  const total: PiiCounts = {};
  for (const counts of ids.map((id) => countsById.get(id))) {
    for (const [type, count] of Object.entries(counts ?? {}) as [PiiType, number][]) {
      total[type] = (total[type] ?? 0) + count;
    }
  }
  return Object.keys(total).length > 0 ? total : undefined;
}
