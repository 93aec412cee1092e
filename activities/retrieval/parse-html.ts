import { HTMLElement, NodeType, parse, type Node } from 'node-html-parser';

/** Elements whose content is never document text. */
const dropped = new Set([
  'script', 'style', 'noscript', 'template', 'svg', 'head', 'iframe', 'object', 'canvas', 'button', 'select', 'form',
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
    blockTextElements: { script: false, style: false, noscript: false, pre: true },
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
