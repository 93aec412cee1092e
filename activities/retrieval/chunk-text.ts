import { countWordTokens } from './text-tokens';

/** Limits for chunking, in model tokens (cl100k_base). */
export interface ChunkOptions {
  /** Most tokens in one chunk's text. @default 200 (fits the 256-token window of MiniLM with its title) */
  maxTokens?: number;
  /** Tokens repeated from the end of one chunk at the start of the next, within a section. @default 32 */
  overlapTokens?: number;
}

export interface TextChunk {
  /** Heading path of the section, e.g. "Guide › Retries", or the document title. */
  title: string;
  text: string;
}

interface Section {
  title: string;
  paragraphs: string[];
}

/** Splits Markdown (or plain text) into sections at headings, keeping the heading path. */
function splitSections(text: string, documentTitle: string): Section[] {
  const sections: Section[] = [];
  const headingPath: string[] = [];
  let current: Section = { title: documentTitle, paragraphs: [] };
  let paragraph: string[] = [];
  let inFence = false;
  const flushParagraph = () => {
    const joined = paragraph.join(' ').replace(/\s+/g, ' ').trim();
    if (joined) current.paragraphs.push(joined);
    paragraph = [];
  };
  for (const line of text.split(/\r?\n/)) {
    // A "#" inside a fenced code block is a comment, not a heading.
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) {
      flushParagraph();
      if (current.paragraphs.length) sections.push(current);
      const level = heading[1]!.length;
      headingPath.length = level - 1;
      headingPath[level - 1] = heading[2]!;
      current = { title: headingPath.filter(Boolean).join(' › '), paragraphs: [] };
    } else if (line.trim() === '') {
      flushParagraph();
    } else {
      paragraph.push(line.trim());
    }
  }
  flushParagraph();
  if (current.paragraphs.length) sections.push(current);
  return sections;
}

const endsSentence = (word: string): boolean => /[.!?:;]["')\]]*$/.test(word);

/**
 * Packs a section into chunks of at most `maxTokens`, cutting at a sentence end when one lies
 * in the last third of the window, and starting each next chunk `overlapTokens` back so a
 * statement cut at a boundary is whole in one of the two chunks.
 */
function packSection(section: Section, maxTokens: number, overlapTokens: number): TextChunk[] {
  const words: string[] = [];
  const paragraphStarts = new Set<number>();
  for (const paragraph of section.paragraphs) {
    paragraphStarts.add(words.length);
    words.push(...paragraph.split(' ').filter(Boolean));
  }
  const costs = words.map(countWordTokens);
  // A paragraph end is as good a place to cut as a sentence end.
  const canCutAfter = (index: number): boolean => endsSentence(words[index]!) || paragraphStarts.has(index + 1);
  const join = (from: number, to: number): string =>
    words.slice(from, to).map((word, offset) => (offset === 0 ? '' : paragraphStarts.has(from + offset) ? '\n\n' : ' ') + word).join('');
  const chunks: TextChunk[] = [];
  let start = 0;
  while (start < words.length) {
    let end = start;
    let used = 0;
    // Always take at least one word, so a single huge "word" cannot stall the loop.
    while (end < words.length && (end === start || used + costs[end]! <= maxTokens)) used += costs[end++]!;
    if (end < words.length) {
      let cut = end;
      let tail = 0;
      while (cut - 1 > start && !canCutAfter(cut - 1) && tail < maxTokens / 3) tail += costs[--cut]!;
      if (cut - 1 > start && canCutAfter(cut - 1)) end = cut;
    }
    chunks.push({ title: section.title, text: join(start, end) });
    if (end >= words.length) break;
    let next = end;
    let overlap = 0;
    while (next - 1 > start && overlap + costs[next - 1]! <= overlapTokens) overlap += costs[--next]!;
    start = next;
  }
  return chunks;
}

/** Heading-aware, token-aware chunking. Deterministic: the same text gives the same chunks. */
export function chunkText(text: string, documentTitle: string, options: ChunkOptions = {}): TextChunk[] {
  const maxTokens = Math.max(8, options.maxTokens ?? 200);
  const overlapTokens = Math.max(0, Math.min(options.overlapTokens ?? 32, Math.floor(maxTokens / 2)));
  return splitSections(text, documentTitle).flatMap((section) => packSection(section, maxTokens, overlapTokens));
}
