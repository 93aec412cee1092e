import { HTMLElement, NodeType, parse, type Node } from 'node-html-parser';

/** Elements whose content is never document text. */
const dropped = new Set(['script', 'style', 'noscript', 'template', 'svg', 'head', 'iframe', 'object', 'canvas', 'button', 'select', 'form']);
/** Elements that end a paragraph. */
const blocks = new Set(['p', 'div', 'section', 'article', 'main', 'aside', 'header', 'footer', 'nav', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'table', 'tr', 'td', 'th', 'blockquote', 'pre', 'figure', 'figcaption', 'br', 'hr']);

export interface ParsedHtml {
  title?: string;
  /** Markdown-like text: headings become "#" lines, so chunking follows the page's structure. */
  text: string;
}

/** Extracts readable text from an HTML page, keeping its headings. */
export function htmlToText(html: string): ParsedHtml {
  // The parser keeps declarations as text; they are never content.
  const body = html.replace(/<!doctype[^>]*>|<\?xml[^>]*\?>/gi, '');
  const root = parse(body, { comment: false, blockTextElements: { script: false, style: false, noscript: false, pre: true } });
  const title = root.querySelector('title')?.text.trim() || undefined;
  const out: string[] = [];
  const walk = (node: Node): void => {
    if (node.nodeType === NodeType.TEXT_NODE) {
      out.push(node.text);
      return;
    }
    if (!(node instanceof HTMLElement)) return;
    const tag = node.rawTagName?.toLowerCase() ?? '';
    if (dropped.has(tag)) return;
    const heading = /^h([1-6])$/.exec(tag);
    if (heading) {
      const text = node.text.replace(/\s+/g, ' ').trim();
      if (text) out.push(`\n\n${'#'.repeat(Number(heading[1]))} ${text}\n\n`);
      return;
    }
    const block = blocks.has(tag);
    if (block) out.push('\n\n');
    for (const child of node.childNodes) walk(child);
    if (block) out.push('\n\n');
  };
  walk(root);
  const text = out
    .join('')
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.replace(/[ \t\r\n\u00a0]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n\n');
  return { title, text };
}
