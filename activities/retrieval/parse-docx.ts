// A Word document (.docx) as HTML, which the HTML parser then reads like any page: its headings become the
// chunks' section titles, its tables rows of named cells (parse-html.ts). mammoth (BSD-2-Clause) converts it in
// a thread of its own (docx-html-worker.cjs, read-in-thread.ts): a .docx is a zip, and a zip bomb must not sink
// the worker. Embedded images are dropped.
import { readInThread, type ThreadReadLimits } from './read-in-thread';

export type DocxOutcome = { ok: true; html: string } | { ok: false; reason: string };

/** The document's body as HTML, or why it cannot be read. */
export function docxToHtml(bytes: Uint8Array, limits: ThreadReadLimits = {}): Promise<DocxOutcome> {
  return readInThread<{ html: string }>('docx-html-worker.cjs', 'Word document', bytes, {}, limits);
}
