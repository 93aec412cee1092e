import type { Citation, ScoredChunk } from './retrieval';

// Shared by workflows (a model's answer) and activities (the offline reviser): a pure function of
// the text and the numbered passages, so both read `[n]` markers the same way.

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
