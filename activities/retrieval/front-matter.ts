// Front matter: the metadata block static-site generators (Jekyll, Hugo, Docusaurus, MkDocs) put at the top of a
// Markdown page. Left in, its "title: … sidebar_position: 2" lines were embedded and quoted as if they were the
// page's first paragraph, and the page's own title was never used.

/** A Markdown text without its front matter, and the title the front matter gave, if any. */
export interface FrontMatterSplit {
  body: string;
  title?: string;
}

/** Longest block read as front matter; a longer one is more likely a page that opens with a rule. */
const maxFrontMatterLines = 200;

// YAML's `---` … `---` (or `...`) and TOML's `+++` … `+++`, each with the line shapes of its language.
const fences = [
  { open: '---', close: /^(---|\.\.\.)\s*$/, field: /^[\w-]+\s*:/, title: /^title\s*:\s*(.*)$/ },
  { open: '+++', close: /^\+\+\+\s*$/, field: /^[\w-]+\s*=/, title: /^title\s*=\s*(.*)$/ },
] as const;

/** A YAML or TOML scalar as plain text: quotes removed, a trailing comment dropped. */
function scalarText(value: string): string {
  const trimmed = value.trim();
  const quoted = /^(["'])(.*)\1$/.exec(trimmed);
  if (quoted) return quoted[2]!.replace(/\\(["\\])/g, '$1').trim();
  return trimmed.replace(/\s+#.*$/, '').trim();
}

/**
 * Splits off front matter when the text opens with a fence line and every top-level line up to the closing fence
 * is a `key: value` (or `key = value`) field: a Markdown page that merely opens with a `---` rule keeps its text.
 */
export function splitFrontMatter(text: string): FrontMatterSplit {
  const lines = text.split(/\r?\n/);
  const fence = fences.find((candidate) => lines[0]?.trim() === candidate.open);
  if (!fence) return { body: text };
  const end = lines.findIndex((line, index) => index > 0 && fence.close.test(line));
  if (end < 2 || end > maxFrontMatterLines) return { body: text };
  const block = lines.slice(1, end);
  // Indented lines and list items continue the field above them; blank lines and comments carry nothing.
  const topLevel = block.filter((line) => line.trim() !== '' && !/^\s/.test(line) && !/^(#|- )/.test(line));
  if (topLevel.length === 0 || !topLevel.every((line) => fence.field.test(line))) return { body: text };
  const titleLine = topLevel.map((line) => fence.title.exec(line)).find((match) => match !== null);
  const title = titleLine ? scalarText(titleLine[1]!) : '';
  const body = lines.slice(end + 1).join('\n');
  return title ? { body, title } : { body };
}
