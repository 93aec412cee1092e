import type { GateEvidence } from './gates';
import type { Citation, ScoredChunk } from './retrieval';

// Shared by workflows and activities (the offline judge and reviser): pure functions of a text and
// its numbered passages, so both sides number, cite and check passages the same way.

/**
 * Citations for a text written against numbered passages: each `[n]` marker that names a
 * passage, in order of first use; the quote is the passage cut to 300 characters. Markers naming
 * no passage are ignored, so an invented `[9]` never becomes a citation.
 */
export function citationsFromMarkers(text: string, passages: readonly ScoredChunk[]): Citation[] {
  const seen = new Set<number>();
  const citations: Citation[] = [];
  for (const match of text.matchAll(/\[(\d{1,3})\]/g)) {
    const marker = Number(match[1]);
    const passage = passages[marker - 1];
    if (!passage || seen.has(marker)) continue;
    seen.add(marker);
    citations.push({
      marker, documentId: passage.documentId, chunkIndex: passage.chunkIndex, title: passage.title,
      source: passage.source, score: passage.score,
      quote: passage.text.length > 300 ? `${passage.text.slice(0, 297)}...` : passage.text,
    });
  }
  return citations;
}

/** Passages numbered for `[n]` citation markers, as every Sluice prompt shows them. */
export function numberedPassages(passages: readonly ScoredChunk[]): string {
  return passages.map((passage, index) => `[${index + 1}] (${passage.source}) ${passage.text}`).join('\n\n');
}

/** Evidence for output gates: each citation's full retrieved chunk, or its quote if the chunk is gone. */
export function evidenceFromCitations(
  citations: readonly Citation[],
  passages: readonly ScoredChunk[],
): GateEvidence[] {
  return citations.map((citation) => {
    const passage = passages.find(
      (chunk) => chunk.documentId === citation.documentId && chunk.chunkIndex === citation.chunkIndex,
    );
    return { marker: citation.marker, text: passage?.text ?? citation.quote };
  });
}
