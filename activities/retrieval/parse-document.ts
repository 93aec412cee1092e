import type { DocumentFormat } from '../../contracts/ingest';
import { splitFrontMatter } from './front-matter';
import { delimitedToText } from './parse-csv';
import { htmlToText } from './parse-html';
import { docxToHtml } from './parse-docx';
import { pdfToMarkdown } from './parse-pdf';
import type { PageStarts } from './pdf-pages';

/** The formats that are text as stored; a PDF or Word file is read to text first (`parseSource`). */
export type TextFormat = Exclude<DocumentFormat, 'pdf' | 'docx'>;

/** One document ready to chunk: Markdown-like text with its citation title. */
export interface ParsedDocument {
  documentId: string;
  title: string;
  text: string;
  /** What citations name as the source when it is not the document itself (a record's file). */
  source?: string;
  /** For a PDF: where each page starts in `text`, so chunks are cited with their page (pdf-pages.ts). */
  pageStarts?: PageStarts;
}

/** A document (or a record of a JSON-lines file) that could not be used, and why. */
export interface SkippedDocument {
  documentId: string;
  reason: string;
}

export interface ParseOutcome {
  documents: ParsedDocument[];
  skipped: SkippedDocument[];
}

/** Text fields a JSON-lines record may carry its body in, in order of preference. */
const bodyFields = ['text', 'content', 'body'] as const;
/** Records of one JSON-lines file; more is a corpus that belongs in several files. */
export const maxJsonLinesRecords = 100_000;

/** The title a document id implies: its file name without the extension. */
export const titleFromId = (documentId: string): string => documentId.split(/[\\/]/).pop()!.replace(/\.[^.]+$/, '') || documentId;

/**
 * Parses decoded text of a known format into documents. Markdown front matter is dropped, its title kept
 * (front-matter.ts). JSON lines give one document per
 * record (`{id?, title?, text|content|body}`, or an FAQ's `{id?, question, answer}`), with ids
 * `<file>#<record id>`; a bad record is
 * skipped with its line number and never fails the rest of the file.
 */
export function parseDocument(
  input: { documentId: string; text: string; format: TextFormat; title?: string },
): ParseOutcome {
  const { documentId, format } = input;
  const single = (title: string | undefined, text: string): ParseOutcome => (text.trim()
    ? { documents: [{ documentId, title: input.title ?? title ?? titleFromId(documentId), text }], skipped: [] }
    : { documents: [], skipped: [{ documentId, reason: 'empty' }] });
  if (format === 'markdown') {
    const { body, title } = splitFrontMatter(input.text);
    return single(title, body);
  }
  if (format === 'text') return single(undefined, input.text);
  if (format === 'csv' || format === 'tsv') {
    const text = delimitedToText(input.text, format === 'tsv' ? '\t' : ',');
    return text ? single(undefined, text) : { documents: [], skipped: [{ documentId, reason: 'no data rows' }] };
  }
  if (format === 'html') {
    const parsed = htmlToText(input.text);
    return parsed.text ? single(parsed.title, parsed.text) : { documents: [], skipped: [{ documentId, reason: 'no readable text in HTML' }] };
  }
  return parseJsonLines(documentId, input.text);
}

/**
 * `parseDocument` for any format: a PDF or Word file (its bytes in base64, as uploads and path reads carry it) is
 * read to text first (parse-pdf.ts, titled by its metadata unless the caller named a title; parse-docx.ts).
 */
export async function parseSource(
  input: { documentId: string; text: string; format: DocumentFormat; title?: string },
): Promise<ParseOutcome> {
  if (input.format === 'docx') return parseWordDocument(input);
  if (input.format === 'pdf') return parsePdfDocument(input);
  return parseDocument({ ...input, format: input.format });
}

/** A PDF, read to Markdown (parse-pdf.ts), each document carrying where its pages start. */
async function parsePdfDocument(input: { documentId: string; text: string; title?: string }): Promise<ParseOutcome> {
  const { documentId } = input;
  const pdf = await pdfToMarkdown(Buffer.from(input.text, 'base64'));
  if (!pdf.ok) return { documents: [], skipped: [{ documentId, reason: pdf.reason }] };
  const title = input.title ?? pdf.title;
  const parsed = parseDocument({ documentId, text: pdf.text, format: 'markdown', ...(title ? { title } : {}) });
  // The page offsets are the PDF text's: kept unless parsing cut something off (a first line read as front matter).
  const pageStarts = (text: string) => (text === pdf.text ? { pageStarts: pdf.pageStarts } : {});
  return { ...parsed, documents: parsed.documents.map((document) => ({ ...document, ...pageStarts(document.text) })) };
}

/** A Word document, converted to HTML and read as a page (parse-docx.ts). */
async function parseWordDocument(input: { documentId: string; text: string; title?: string }): Promise<ParseOutcome> {
  const { documentId, title } = input;
  const word = await docxToHtml(Buffer.from(input.text, 'base64'));
  if (!word.ok) return { documents: [], skipped: [{ documentId, reason: word.reason }] };
  const parsed = parseDocument({ documentId, text: word.html, format: 'html', ...(title ? { title } : {}) });
  const empty = { documentId, reason: 'Word document has no text' };
  return parsed.documents.length ? parsed : { documents: [], skipped: [empty] };
}

/**
 * An FAQ record's text: the question, a blank line, the answer. The blank line keeps them two sentences, so
 * the offline answer quotes the answer for a question like it (extractive-answer.ts), and the citation's
 * title is the question. Undefined unless both are non-empty strings.
 */
function faqEntryOf(fields: Record<string, unknown>): { question: string; text: string } | undefined {
  const { question, answer } = fields;
  if (typeof question !== 'string' || typeof answer !== 'string' || !question.trim() || !answer.trim()) return undefined;
  return { question: question.trim(), text: `${question.trim()}\n\n${answer.trim()}` };
}

function parseJsonLines(fileId: string, text: string): ParseOutcome {
  const outcome: ParseOutcome = { documents: [], skipped: [] };
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (!line) continue;
    const lineId = `${fileId}#line-${index + 1}`;
    if (outcome.documents.length >= maxJsonLinesRecords) {
      outcome.skipped.push({ documentId: lineId, reason: `more than ${maxJsonLinesRecords} records; the rest of the file was not read` });
      break;
    }
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      outcome.skipped.push({ documentId: lineId, reason: `line ${index + 1}: not valid JSON` });
      continue;
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      outcome.skipped.push({ documentId: lineId, reason: `line ${index + 1}: not a JSON object` });
      continue;
    }
    const fields = record as Record<string, unknown>;
    const faq = faqEntryOf(fields);
    const body = faq?.text
      ?? bodyFields.map((field) => fields[field]).find((value): value is string => typeof value === 'string');
    const recordId = typeof fields.id === 'string' || typeof fields.id === 'number' ? String(fields.id) : `line-${index + 1}`;
    const documentId = `${fileId}#${recordId}`;
    if (body === undefined || !body.trim()) {
      outcome.skipped.push({
        documentId,
        reason: `line ${index + 1}: no text (expected a "text", "content" or "body" string, or "question" and "answer")`,
      });
    } else if (seen.has(documentId)) {
      outcome.skipped.push({ documentId, reason: `line ${index + 1}: duplicate id` });
    } else {
      seen.add(documentId);
      const title = typeof fields.title === 'string' && fields.title.trim() ? fields.title.trim()
        : faq?.question ?? recordId;
      outcome.documents.push({ documentId, title, text: body, source: fileId });
    }
  }
  if (outcome.documents.length === 0 && outcome.skipped.length === 0) outcome.skipped.push({ documentId: fileId, reason: 'empty' });
  return outcome;
}
