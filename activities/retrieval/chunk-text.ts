/** Limits for chunking, in words. */
export interface ChunkOptions {
  /** @default 160 */
  maxWords?: number;
  /** Words repeated from the end of one chunk at the start of the next, within a section. @default 30 */
  overlapWords?: number;
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
  const flushParagraph = () => {
    const joined = paragraph.join(' ').replace(/\s+/g, ' ').trim();
    if (joined) current.paragraphs.push(joined);
    paragraph = [];
  };
  for (const line of text.split(/\r?\n/)) {
    const heading = /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
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

/** Packs a section's paragraphs into chunks of at most `maxWords`, overlapping by `overlapWords`. */
function packSection(section: Section, maxWords: number, overlapWords: number): TextChunk[] {
  const words = section.paragraphs.join('\n\n').split(/ +/);
  if (words.length <= maxWords) return [{ title: section.title, text: words.join(' ') }];
  const chunks: TextChunk[] = [];
  const step = Math.max(1, maxWords - overlapWords);
  for (let start = 0; start < words.length; start += step) {
    chunks.push({ title: section.title, text: words.slice(start, start + maxWords).join(' ') });
    if (start + maxWords >= words.length) break;
  }
  return chunks;
}

/** Heading-aware chunking of a document. Deterministic: the same text gives the same chunks. */
export function chunkText(text: string, documentTitle: string, options: ChunkOptions = {}): TextChunk[] {
  const maxWords = options.maxWords ?? 160;
  const overlapWords = Math.min(options.overlapWords ?? 30, maxWords - 1);
  return splitSections(text, documentTitle).flatMap((section) => packSection(section, maxWords, overlapWords));
}
