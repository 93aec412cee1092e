import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listSourceFiles, maxSourceBytes, readSourceText, SourceNotFoundError } from '../../../../activities/retrieval/read-sources';

describe('reading sources', () => {
  const root = mkdtempSync(join(tmpdir(), 'sluice-sources-'));
  mkdirSync(join(root, 'nested'));
  writeFileSync(join(root, 'a.md'), '# Title\n\nHello.');
  writeFileSync(join(root, 'nested', 'b.txt'), 'Nested text.');
  writeFileSync(join(root, 'page.html'), '<p>Hi</p>');
  writeFileSync(join(root, 'rows.jsonl'), '{"text":"x"}');
  writeFileSync(join(root, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  writeFileSync(join(root, 'empty.md'), '  \n');
  writeFileSync(join(root, 'zero.md'), '');
  writeFileSync(join(root, 'binary.txt'), Buffer.from([0x41, 0x00, 0x42]));
  writeFileSync(join(root, 'image.png'), Buffer.from([0x89, 0x50]));
  writeFileSync(join(root, 'paper.pdf'), '%PDF-1.4');
  writeFileSync(join(root, 'huge.md'), Buffer.alloc(maxSourceBytes + 1, 0x61));
  writeFileSync(join(root, '.hidden.md'), 'secret');

  const outcome = async (id: string) => {
    const files = await listSourceFiles(root);
    return readSourceText(files.find((file) => file.documentId === id)!);
  };

  it('lists every visible file recursively, sorted, with ids relative to the root', async () => {
    const files = await listSourceFiles(root);
    expect(files.map((file) => file.documentId)).toEqual([
      'a.md', 'binary.txt', 'empty.md', 'huge.md', 'image.png', 'latin1.txt', join('nested', 'b.txt'), 'page.html', 'paper.pdf', 'rows.jsonl', 'zero.md',
    ]);
  });

  it('reads supported formats', async () => {
    expect(await outcome('a.md')).toEqual({ ok: true, text: '# Title\n\nHello.', format: 'markdown' });
    expect(await outcome('page.html')).toMatchObject({ ok: true, format: 'html' });
    expect(await outcome('rows.jsonl')).toMatchObject({ ok: true, format: 'jsonl' });
  });

  it('gives a reason instead of text for files that cannot be ingested', async () => {
    expect(await outcome('latin1.txt')).toEqual({ ok: false, reason: 'not valid UTF-8 text' });
    expect(await outcome('empty.md')).toEqual({ ok: false, reason: 'empty' });
    expect(await outcome('zero.md')).toEqual({ ok: false, reason: 'empty' });
    expect(await outcome('binary.txt')).toEqual({ ok: false, reason: 'binary content' });
    expect(await outcome('image.png')).toEqual({ ok: false, reason: 'unknown format (.png)' });
    // A PDF is read as bytes: the parser gets them in base64 (parse-pdf.ts).
    const pdfBytes = Buffer.from('%PDF-1.4').toString('base64');
    expect(await outcome('paper.pdf')).toEqual({ ok: true, format: 'pdf', text: pdfBytes });
    expect(await outcome('huge.md')).toEqual({ ok: false, reason: `larger than ${maxSourceBytes} bytes` });
  });

  it('rejects a missing path with SourceNotFoundError', async () => {
    await expect(listSourceFiles(join(root, 'missing'))).rejects.toBeInstanceOf(SourceNotFoundError);
  });
});
