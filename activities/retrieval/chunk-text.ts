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

const isWhitespace = (character: string): boolean => /\s/.test(character);

/**
 * The level and title of an ATX heading line ("## Title ##"), or null. Parsed by hand: the regex
 * it replaces backtracked cubically on a long run of spaces, so one crafted line could stall an ingest.
 */
function headingOf(line: string): { level: number; title: string } | null {
  const opening = /^(#{1,6})\s+/.exec(line);
  if (!opening) return null;
  const rest = line.slice(opening[0].length);
  if (!rest) return null;
  // The closing sequence: trailing spaces, then "#"s, then the spaces before them.
  let end = rest.length;
  while (end > 0 && isWhitespace(rest[end - 1]!)) end--;
  while (end > 0 && rest[end - 1] === '#') end--;
  while (end > 0 && isWhitespace(rest[end - 1]!)) end--;
  return { level: opening[1]!.length, title: end > 0 ? rest.slice(0, end) : rest.slice(0, 1) };
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
    const heading = inFence ? null : headingOf(line);
    if (heading) {
      flushParagraph();
      if (current.paragraphs.length) sections.push(current);
      headingPath.length = heading.level - 1;
      headingPath[heading.level - 1] = heading.title;
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
 * Words up to this many UTF-16 units are counted whole. Longer runs without a space (CJK text,
 * base64, minified code) are cut first: tokenizing one is superlinear in its length, and a
 * 1 MB run would otherwise be one chunk that takes minutes to count.
 */
const wholeWordLength = 32;
/** Most code points in one piece of a cut word; counting pieces this short stays cheap. */
const pieceCodePoints = 16;

/**
 * A word as the pieces the packer handles: the word itself, or, when it is long or costs more
 * than a chunk may hold, runs of code points that each fit in a chunk. Byte-level BPE gives at
 * most one token per UTF-8 byte (4 per code point), plus one for the leading space.
 */
function wordPieces(word: string, maxTokens: number): string[] {
  if (word.length <= wholeWordLength && countWordTokens(word) <= maxTokens) return [word];
  const length = Math.max(1, Math.min(pieceCodePoints, Math.floor((maxTokens - 1) / 4)));
  // The u flag keeps surrogate pairs whole.
  return word.match(new RegExp(`[^]{1,${length}}`, 'gu')) ?? [word];
}

/**
 * Packs a section into chunks of at most `maxTokens`, cutting at a sentence end when one lies
 * in the last third of the window, and starting each next chunk `overlapTokens` back so a
 * statement cut at a boundary is whole in one of the two chunks.
 */
function packSection(section: Section, maxTokens: number, overlapTokens: number): TextChunk[] {
  const words: string[] = [];
  const costs: number[] = [];
  const paragraphStarts = new Set<number>();
  /** Pieces of a cut word after its first: joined to the previous piece without a space. */
  const continuations = new Set<number>();
  for (const paragraph of section.paragraphs) {
    paragraphStarts.add(words.length);
    // One push per word, never push(...all): a paragraph of a million words would overflow the stack.
    for (const word of paragraph.split(' ')) {
      if (!word) continue;
      const pieces = wordPieces(word, maxTokens);
      for (let index = 0; index < pieces.length; index++) {
        if (index > 0) continuations.add(words.length);
        words.push(pieces[index]!);
        costs.push(countWordTokens(pieces[index]!));
      }
    }
  }
  // A paragraph end is as good a place to cut as a sentence end; the middle of a word is not.
  const canCutAfter = (index: number): boolean =>
    !continuations.has(index + 1) && (endsSentence(words[index]!) || paragraphStarts.has(index + 1));
  const separatorBefore = (index: number): string =>
    (paragraphStarts.has(index) ? '\n\n' : continuations.has(index) ? '' : ' ');
  const join = (from: number, to: number): string =>
    words.slice(from, to).map((word, offset) => (offset === 0 ? '' : separatorBefore(from + offset)) + word).join('');
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
