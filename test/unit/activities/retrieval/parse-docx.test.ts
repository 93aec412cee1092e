import { parseSource } from '../../../../activities/retrieval/parse-document';
import { inlineDocumentSchema } from '../../../../contracts/ingest';
import { makeDocx } from '../../../helpers/make-docx';

const base64 = (bytes: Buffer): string => bytes.toString('base64');

describe('Word documents (.docx)', () => {
  it('read as a page: headings become sections, paragraphs text', async () => {
    const policy = await makeDocx([
      [1, 'Expenses policy'], [2, 'Meals'], 'Meals on business trips are refunded up to 40 EUR a day.',
      [2, 'Travel'], 'Book trains for trips under four hours.',
    ]);
    expect(await parseSource({ documentId: 'hr/policy.docx', text: base64(policy), format: 'docx' })).toEqual({
      documents: [{
        documentId: 'hr/policy.docx', title: 'policy', text: [
          '# Expenses policy', '## Meals', 'Meals on business trips are refunded up to 40 EUR a day.',
          '## Travel', 'Book trains for trips under four hours.',
        ].join('\n\n'),
      }],
      skipped: [],
    });
  });

  it('are skipped with the reason when empty or not a Word document', async () => {
    const empty = await makeDocx([]);
    expect((await parseSource({ documentId: 'e.docx', text: base64(empty), format: 'docx' })).skipped)
      .toEqual([{ documentId: 'e.docx', reason: 'Word document has no text' }]);
    const broken = Buffer.from('PK not a zip at all');
    expect((await parseSource({ documentId: 'x.docx', text: base64(broken), format: 'docx' })).skipped)
      .toEqual([{ documentId: 'x.docx', reason: 'not a readable Word document' }]);
  });

  it('travel inline as base64, and text pasted in their place is refused naming the field', () => {
    const pasted = inlineDocumentSchema.safeParse({ documentId: 'p.docx', format: 'docx', text: 'Meals refunded.' });
    expect(pasted.error?.issues).toEqual([expect.objectContaining({
      path: ['text'], message: "for a docx, text must be the file's bytes in base64",
    })]);
  });
});
