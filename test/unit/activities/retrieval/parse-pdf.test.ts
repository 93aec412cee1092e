import { parseSource } from '../../../../activities/retrieval/parse-document';
import { pdfToMarkdown } from '../../../../activities/retrieval/parse-pdf';
import { pagesOfChunks, sourceOnPage } from '../../../../activities/retrieval/pdf-pages';
import { inlineDocumentSchema } from '../../../../contracts/ingest';
import { makePdf } from '../../../helpers/make-pdf';

const handbook = makePdf([
  [
    [18, 'Refund policy'],
    [11, 'Annual plans can be refunded in full within 30 days of pur-'],
    [11, 'chase. Monthly plans are paid until the end of'],
    [11, '1'],
  ],
  [[11, 'the month in which they are cancelled.']],
  [
    [18, 'Security'], [14, 'Single sign-on'], [11, 'SSO (SAML 2.0) is on the Business plan. It needs:'],
    [11, '- an identity provider, and'], [11, '- a verified domain.'],
    [11, ''], [11, '# sso.conf: the admin console writes this file'], [11, 'Page 2 of 2'],
  ],
], { title: 'Acme handbook' });

describe('PDF documents', () => {
  it("read their text layer as Markdown: larger type as headings, a paragraph's lines joined", async () => {
    const refunds = 'Annual plans can be refunded in full within 30 days of purchase. Monthly plans are paid until '
      + 'the end of the month in which they are cancelled.';
    const read = await pdfToMarkdown(handbook);
    expect(read).toEqual({
      ok: true, title: 'Acme handbook', text: [
        '# Refund policy',
        // The word hyphenated across the line break is whole again; the page numbers are gone.
        // A sentence running on to the next page stays one paragraph, on the page where it starts.
        refunds,
        // List items are paragraphs of their own.
        '# Security', '## Single sign-on', 'SSO (SAML 2.0) is on the Business plan. It needs:',
        '- an identity provider, and', '- a verified domain.',
        // A "#" in the text (a comment in a code sample) is no heading.
        ' # sso.conf: the admin console writes this file',
      ].join('\n\n'),
      pageStarts: [[0, 1], [`# Refund policy\n\n${refunds}\n\n`.length, 3]],
    });
  });

  it('leave out running headers and footers that recur at the edge of most pages', async () => {
    const body = ['Refunds are paid monthly.', 'Holidays carry over.', 'Travel is booked.', 'Laptops are leased.'];
    const pages = body.map((text, index): [number, string][] => [
      [9, 'Acme handbook - Confidential'], [11, text], [9, `Chapter 1, page ${index + 1}`],
    ]);
    expect(await pdfToMarkdown(makePdf(pages))).toMatchObject({ ok: true, text: body.join('\n\n') });
  });

  it('cite each chunk with the page its text begins on', () => {
    const text = 'Intro on page one.\n\nTwo starts here and runs on.\n\nThree.';
    const pageStarts = [[0, 1], [20, 2], [50, 3]] as const;
    expect(pagesOfChunks(text, pageStarts, ['Intro on page', 'Two starts here', 'Three.', 'Not in the text'])).toEqual([
      1, 2, 3, undefined,
    ]);
    expect([sourceOnPage('m.pdf', 2), sourceOnPage('m.pdf', undefined)]).toEqual(['m.pdf#page=2', 'm.pdf']);
  });

  it('become documents titled by their metadata, with sections as a Markdown file has them', async () => {
    const parsed = await parseSource({ documentId: 'handbook.pdf', text: handbook.toString('base64'), format: 'pdf' });
    expect(parsed.skipped).toEqual([]);
    expect(parsed.documents).toEqual([expect.objectContaining({ documentId: 'handbook.pdf', title: 'Acme handbook' })]);
    const named = await parseSource({
      documentId: 'h.pdf', text: handbook.toString('base64'), format: 'pdf', title: 'Handbook 2027',
    });
    expect(named.documents[0]?.title).toBe('Handbook 2027');
  });

  it('are skipped with the reason when they hold no text or are no PDF', async () => {
    const blank = makePdf([[]]).toString('base64');
    expect(await parseSource({ documentId: 'scan.pdf', text: blank, format: 'pdf' })).toEqual({
      documents: [], skipped: [{ documentId: 'scan.pdf', reason: 'PDF has no text layer (a scan needs OCR first)' }],
    });
    const broken = Buffer.from('not a pdf at all').toString('base64');
    expect((await parseSource({ documentId: 'x.pdf', text: broken, format: 'pdf' })).skipped)
      .toEqual([{ documentId: 'x.pdf', reason: 'not a readable PDF' }]);
  });

  it('are given up on, the reading thread stopped, past their time or memory', async () => {
    const long = makePdf(Array.from({ length: 300 }, (_, page) => [[11, `Page ${page} holds one sentence of text.`]]));
    const tooSlow = { ok: false, reason: 'PDF took longer than 0.005 s to read' };
    expect(await pdfToMarkdown(long, { timeoutMs: 5 })).toEqual(tooSlow);
    const tooBig = { ok: false, reason: 'not a readable PDF (reading it failed)' };
    expect(await pdfToMarkdown(long, { heapMb: 1 })).toEqual(tooBig);
    // The same file within the limits; a line recurring on every page but ending like a sentence is text.
    const read = await pdfToMarkdown(long);
    expect(read.ok && read.text.split('\n\n').length).toBe(300);
  });

  it('travel inline as base64, and raw bytes pasted as text are refused naming the field', () => {
    const encoded = handbook.toString('base64');
    expect(inlineDocumentSchema.safeParse({ documentId: 'h.pdf', format: 'pdf', text: encoded }).success).toBe(true);
    const pasted = inlineDocumentSchema.safeParse({ documentId: 'h.pdf', format: 'pdf', text: '%PDF-1.4 …' });
    expect(pasted.error?.issues).toEqual([expect.objectContaining({
      path: ['text'], message: "for a pdf, text must be the file's bytes in base64",
    })]);
  });
});
