import { HTMLElement, NodeType, parse, type Node } from 'node-html-parser';
import { rowText } from './table-rows';

/**
 * Elements whose content is never document text. A site's menu (`nav`) repeats on every page: kept, "Home | Pricing |
 * Docs" opened the first chunk of each and matched every query that named a menu entry.
 */
const dropped = new Set([
  'script', 'style', 'noscript', 'template', 'svg', 'head', 'iframe', 'object', 'canvas', 'button', 'select', 'form',
  'nav',
]);
/** Elements that end a paragraph. */
const blocks = new Set([
  'p', 'div', 'section', 'article', 'main', 'aside', 'header', 'footer', 'nav', 'li', 'ul', 'ol', 'dl', 'dt', 'dd',
  'table', 'tr', 'td', 'th', 'blockquote', 'pre', 'figure', 'figcaption', 'br', 'hr',
]);

export interface ParsedHtml {
  title?: string;
  /** Markdown-like text: headings become "#" lines, so chunking follows the page's structure. */
  text: string;
}

/** The decoded text under `node`, walked with an explicit stack: pages may nest elements 100,000 deep. */
function textOf(node: Node): string {
  const parts: string[] = [];
  const pending: Node[] = [node];
  while (pending.length) {
    const next = pending.pop()!;
    if (next.nodeType === NodeType.TEXT_NODE) parts.push(next.text);
    for (let index = next.childNodes.length - 1; index >= 0; index--) pending.push(next.childNodes[index]!);
  }
  return parts.join('');
}

/** The first element named `tag` in document order, like querySelector (whose matcher recurses). */
function firstElement(root: Node, tag: string): HTMLElement | undefined {
  const pending: Node[] = [root];
  while (pending.length) {
    const next = pending.pop()!;
    if (next instanceof HTMLElement && next.rawTagName?.toLowerCase() === tag) return next;
    for (let index = next.childNodes.length - 1; index >= 0; index--) pending.push(next.childNodes[index]!);
  }
  return undefined;
}

/** The element children of `node` named one of `tags`, looking through the row groups of a table. */
function childElements(node: Node, tags: ReadonlySet<string>, through: ReadonlySet<string> = new Set()): HTMLElement[] {
  const found: HTMLElement[] = [];
  for (const child of node.childNodes) {
    if (!(child instanceof HTMLElement)) continue;
    const tag = child.rawTagName?.toLowerCase() ?? '';
    if (tags.has(tag)) found.push(child);
    else if (through.has(tag)) found.push(...childElements(child, tags, through));
  }
  return found;
}

const rowTags = new Set(['tr']);
const rowGroups = new Set(['thead', 'tbody', 'tfoot']);
const cellTags = new Set(['th', 'td']);
const captionTags = new Set(['caption']);
const cellText = (cell: HTMLElement): string => textOf(cell).replace(/\s+/g, ' ').trim();

const layoutTags = new Set(['p', 'div', 'section', 'article', 'ul', 'ol', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** The cells of a table, row by row (through its row groups; nested tables stay inside their cells). */
const tableCells = (table: HTMLElement): HTMLElement[][] =>
  childElements(table, rowTags, rowGroups).map((row) => childElements(row, cellTags));

/** A table used to lay out a page (old sites put whole pages in one): a cell holds paragraphs, lists or headings. */
function isLayoutTable(rows: readonly HTMLElement[][]): boolean {
  const pending: Node[] = rows.flat();
  while (pending.length) {
    const next = pending.pop()!;
    for (const child of next.childNodes) {
      if (!(child instanceof HTMLElement)) continue;
      if (layoutTags.has(child.rawTagName?.toLowerCase() ?? '')) return true;
      pending.push(child);
    }
  }
  return false;
}

/**
 * A table as one line per row, each cell named by its column under a header row of `th` cells (rowText); cell
 * by cell, "Pro" and "$25/month" became separate paragraphs.
 */
function tableText(table: HTMLElement, rows: readonly HTMLElement[][]): string {
  const first = rows[0];
  const header = first && first.length > 1 && first.every((cell) => cell.rawTagName.toLowerCase() === 'th')
    ? first.map(cellText) : undefined;
  const lines = (header ? rows.slice(1) : rows).map((cells) => rowText(cells.map(cellText), header));
  const caption = childElements(table, captionTags)[0];
  return [caption ? cellText(caption) : '', ...lines].filter(Boolean).join('\n\n');
}

/** Marks where a block element ends, on the walk's stack. */
const blockEnd = Symbol('block end');

/** Extracts readable text from an HTML page, keeping its headings. */
export function htmlToText(html: string): ParsedHtml {
  // The parser keeps declarations as text; they are never content. Bounded, so a page of
  // unterminated "<?xml" cannot make the replace quadratic.
  const body = html.replace(/<!doctype[^>]{0,1024}>|<\?xml[^>]{0,1024}\?>/gi, '');
  // parseNoneClosedTags: elements still open at the end keep their children. Without it the parser hoists each
  // one's children into its parent, moving the same nodes once per open level: "<b><i>x" repeated over 100 KB
  // took 4.4 s and 400 KB 91 s (linear with it: 57 ms and 131 ms). The same words come out in the same order
  // (3,000 random malformed pages compared); an unclosed block or heading now keeps its paragraph break or "#".
  const root = parse(body, {
    comment: false, parseNoneClosedTags: true,
    // `pre` is parsed as markup, not kept raw: kept raw, a code block's <code> and syntax-highlighting <span> tags
    // came out as literal text.
    blockTextElements: { script: false, style: false, noscript: false },
  });
  const titleElement = firstElement(root, 'title');
  const title = (titleElement ? textOf(titleElement).trim() : '') || undefined;
  const out: string[] = [];
  // An explicit stack instead of recursion: deeply nested markup must not overflow the call stack.
  const pending: (Node | typeof blockEnd)[] = [root];
  while (pending.length) {
    const node = pending.pop()!;
    if (node === blockEnd) {
      out.push('\n\n');
      continue;
    }
    if (node.nodeType === NodeType.TEXT_NODE) {
      out.push(node.text);
      continue;
    }
    if (!(node instanceof HTMLElement)) continue;
    const tag = node.rawTagName?.toLowerCase() ?? '';
    if (dropped.has(tag)) continue;
    const heading = /^h([1-6])$/.exec(tag);
    if (heading) {
      const text = textOf(node).replace(/\s+/g, ' ').trim();
      if (text) out.push(`\n\n${'#'.repeat(Number(heading[1]))} ${text}\n\n`);
      continue;
    }
    const rows = tag === 'table' ? tableCells(node) : undefined;
    if (rows && !isLayoutTable(rows)) {
      out.push(`\n\n${tableText(node, rows)}\n\n`);
      continue;
    }
    if (blocks.has(tag)) {
      out.push('\n\n');
      pending.push(blockEnd);
    }
    for (let index = node.childNodes.length - 1; index >= 0; index--) pending.push(node.childNodes[index]!);
  }
  const text = out
    .join('')
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.replace(/[ \t\r\n\u00a0]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n\n');
  return { title, text };
}
