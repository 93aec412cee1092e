// A PDF's text layer as Markdown the chunker understands: lines set in a larger type than the body
// become headings (so chunks carry "Manual › Refunds" like a Markdown file's), lines of one paragraph
// are joined, words hyphenated across a line break are rejoined, and bare page numbers are dropped.
// pdf.js reads the file (`pdfjs-dist`, Apache-2.0); nothing is rendered. A scan without a text layer,
// an encrypted file or one pdf.js cannot read is skipped with the reason.

import type { PageStarts } from './pdf-pages';
import { readInThread, type ThreadReadLimits } from './read-in-thread';

/** One run of text as pdf.js gives it: its characters, type size, baseline and whether a line ends after it. */
interface TextItem { str: string; height: number; y: number; hasEOL: boolean }

/** What the reading thread sends back for a readable PDF. */
interface PageRuns { pages: TextItem[][]; title?: string }

/** A line of a page: its text, type size and baseline. */
interface Line { text: string; size: number; y: number }

/** Most pages any PDF is read to; a longer one is a corpus that belongs in several files. */
export const maxPdfPages = 2_000;

export type PdfOutcome =
  | { ok: true; text: string; title?: string; pageStarts: PageStarts }
  | { ok: false; reason: string };

const listItem = /^(?:[•◦▪●‣■□–*-]|\d{1,2}[.)]|[a-z][.)])\s/u;
const pageNumber = /^\s*(?:(?:page\s*)?\d{1,4}(?:\s*(?:of|\/)\s*\d{1,4})?|[ivxlc]{1,6})\s*$/i;

/** A line as it recurs on every page, its numbers aside ("Chapter 2 · page 7"). */
const edgeKey = (line: Line): string => line.text.replace(/\d+/g, '#');

/** Lines at the top or bottom of a page this many lines deep may be a running header or footer. */
const pageEdgeLines = 2;

/**
 * Running headers and footers ("Acme handbook — Confidential", "Chapter 2 · page 7"): the lines at a page's edge
 * that recur, digits aside, on at least half of the pages (and three). They would repeat in every chunk. A line
 * ending like a sentence is text, however often it recurs ("Page 3 holds the form.").
 */
function runningLines(pages: readonly Line[][]): Set<string> {
  const pagesWith = new Map<string, number>();
  for (const lines of pages) {
    const edges = new Set([...lines.slice(0, pageEdgeLines), ...lines.slice(-pageEdgeLines)]
      .filter((line) => !/[.!?]$/.test(line.text)).map(edgeKey));
    for (const key of edges) pagesWith.set(key, (pagesWith.get(key) ?? 0) + 1);
  }
  const least = Math.max(3, pages.length / 2);
  return new Set([...pagesWith].filter(([, count]) => count >= least).map(([key]) => key));
}

/** A page's lines in pdf.js's reading order: a line ends at an end-of-line mark or a new baseline. */
function linesOf(items: readonly TextItem[]): Line[] {
  const lines: Line[] = [];
  let current: Line | undefined;
  for (const item of items) {
    const { y } = item;
    if (current && Math.abs(current.y - y) > Math.max(1, current.size * 0.5) && item.str.trim()) {
      lines.push(current);
      current = undefined;
    }
    if (item.str) {
      if (!current) current = { text: item.str, size: item.height, y };
      else {
        current.text += item.str;
        current.size = Math.max(current.size, item.height);
      }
    }
    if (item.hasEOL && current) {
      lines.push(current);
      current = undefined;
    }
  }
  if (current) lines.push(current);
  return lines
    .map((line) => ({ ...line, text: line.text.replace(/\s+/g, ' ').trim() }))
    .filter((line) => line.text && !pageNumber.test(line.text));
}

/** The type size most of the text is set in (by characters). */
function bodySize(lines: readonly Line[]): number {
  const characters = new Map<number, number>();
  for (const line of lines) {
    const size = Math.round(line.size * 2) / 2;
    characters.set(size, (characters.get(size) ?? 0) + line.text.length);
  }
  return [...characters].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
}

/** Joins a paragraph's lines, rejoining a word hyphenated at a line end ("refund-" + "ed"). */
function joinLines(lines: readonly string[]): string {
  return lines.reduce((text, line) => {
    if (!text) return line;
    return /\p{L}-$/u.test(text) && /^\p{Ll}/u.test(line) ? `${text.slice(0, -1)}${line}` : `${text} ${line}`;
  }, '');
}

/**
 * The pages' lines as Markdown, headings for larger type and paragraphs split where the line spacing opens up;
 * with where each page's first block starts in it (a paragraph running on from one page counts on that one).
 */
function toMarkdown(allPages: readonly Line[][]): { text: string; pageStarts: PageStarts } {
  const running = runningLines(allPages);
  const pages = allPages.map((lines) => lines.filter((line) => !running.has(edgeKey(line))));
  const body = bodySize(pages.flat());
  const headingSizes = [...new Set(pages.flat().filter((line) => isHeading(line, body))
    .map((line) => Math.round(line.size)))].sort((a, b) => b - a);
  const blocks: { text: string; page: number }[] = [];
  let paragraph: string[] = [];
  let paragraphPage = 1;
  const flush = () => {
    // Text starting with "#" (a comment in a code sample) is indented a space, so it is not read as a heading.
    const text = joinLines(paragraph).replace(/^#/, ' #');
    if (paragraph.length) blocks.push({ text, page: paragraphPage });
    paragraph = [];
  };
  for (const [index, lines] of pages.entries()) {
    const page = index + 1;
    // A paragraph runs on to the next page when its sentence does: no full stop, and a lower-case start there.
    const first = lines[0];
    if (!first || isHeading(first, body) || /[.!?:]$/.test(paragraph.at(-1) ?? '.') || !/^\p{Ll}/u.test(first.text)) {
      flush();
    }
    let previous: Line | undefined;
    for (const line of lines) {
      if (isHeading(line, body)) {
        flush();
        const level = Math.min(3, headingSizes.indexOf(Math.round(line.size)) + 1);
        blocks.push({ text: `${'#'.repeat(Math.max(1, level))} ${line.text}`, page });
        previous = undefined;
        continue;
      }
      const gap = previous ? previous.y - line.y : 0;
      // A list item is a paragraph of its own however tight the spacing ("• magic elements …" ends no sentence).
      if (previous && (gap > line.size * 1.8 || gap < 0 || listItem.test(line.text))) flush();
      if (paragraph.length === 0) paragraphPage = page;
      paragraph.push(line.text);
      previous = line;
    }
  }
  flush();
  const pageStarts: [number, number][] = [];
  let offset = 0;
  for (const block of blocks) {
    if (pageStarts.at(-1)?.[1] !== block.page) pageStarts.push([offset, block.page]);
    offset += block.text.length + 2;
  }
  return { text: blocks.map((block) => block.text).join('\n\n'), pageStarts };
}

/** A short line set at least a fifth larger than the body text, not ending like a sentence. */
function isHeading(line: Line, body: number): boolean {
  return body > 0 && line.size >= body * 1.2 && line.text.length <= 120 && !/[.,;]$/.test(line.text);
}

/** The text of a PDF as Markdown, with its metadata title when it has one; or why it cannot be read. */
export async function pdfToMarkdown(bytes: Uint8Array, limits: ThreadReadLimits = {}): Promise<PdfOutcome> {
  const read = await readInThread<PageRuns>('pdf-text-worker.cjs', 'PDF', bytes, { maxPages: maxPdfPages }, limits);
  if (!read.ok) return read;
  const { text, pageStarts } = toMarkdown(read.pages.map(linesOf));
  if (!text.trim()) return { ok: false, reason: 'PDF has no text layer (a scan needs OCR first)' };
  const title = read.title?.trim().slice(0, 512);
  return { ok: true, text, pageStarts, ...(title ? { title } : {}) };
}
