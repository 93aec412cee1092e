import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maxUploadBytes, readLocalDocuments } from '../../../client/upload-documents';

// What `sluice ingest --upload` sends: the caller's files as inline documents, in requests under the payload limit.
describe('reading a local folder for upload', () => {
  const folder = mkdtempSync(join(tmpdir(), 'sluice-upload-'));
  mkdirSync(join(folder, 'sub'));
  writeFileSync(join(folder, 'a.md'), '# A\n\nAlpha.');
  writeFileSync(join(folder, 'sub', 'b.txt'), 'Beta.');
  writeFileSync(join(folder, 'c.html'), '<p>Gamma</p>');
  writeFileSync(join(folder, 'rows.jsonl'), '{"id":"1","text":"x"}');
  writeFileSync(join(folder, 'manual.pdf'), Buffer.from('%PDF-1.4\x00\xff'));
  writeFileSync(join(folder, 'notes.docx'), Buffer.from('PK\x03\x04'));
  writeFileSync(join(folder, 'scan.pdf'), Buffer.alloc(800_000, 1));
  writeFileSync(join(folder, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
  writeFileSync(join(folder, 'blob.md'), Buffer.from([0x41, 0x00, 0x42]));
  writeFileSync(join(folder, 'empty.md'), '  \n');
  writeFileSync(join(folder, '.hidden.md'), 'secret');
  symlinkSync('/etc/hostname', join(folder, 'link.txt'));

  it('sends readable documents with their formats and says why the others stay behind', async () => {
    const local = await readLocalDocuments(folder);
    expect(local.batches.flat().map((document) => [document.documentId, document.format])).toEqual([
      ['a.md', 'markdown'], ['c.html', 'html'], ['manual.pdf', 'pdf'], ['notes.docx', 'docx'], ['rows.jsonl', 'jsonl'],
      [join('sub', 'b.txt'), 'text'],
    ]);
    // A PDF's bytes travel as base64 for the worker to read.
    const pdf = local.batches.flat().find((document) => document.documentId === 'manual.pdf');
    expect(Buffer.from(pdf!.text, 'base64')).toEqual(Buffer.from('%PDF-1.4\x00\xff'));
    expect(Object.fromEntries(local.skipped.map((outcome) => [outcome.documentId, outcome.reason]))).toEqual({
      'blob.md': 'binary content', 'empty.md': 'empty', 'latin1.txt': 'not valid UTF-8 text',
      'scan.pdf': 'larger than the upload limit in base64 (1066668 characters); ingest it by path',
      // Reported, never followed: a link in someone else's folder could lead to the caller's own secrets.
      'link.txt': 'a symbolic link: not followed by an upload (it could lead anywhere)',
    });
  });

  it('splits documents into requests under the upload limit', async () => {
    const big = mkdtempSync(join(tmpdir(), 'sluice-upload-big-'));
    // 300 000 characters each: three fit in one request (under both the byte and the character cap), four do not.
    const page = 'word '.repeat(60_000);
    for (const name of ['1.txt', '2.txt', '3.txt', '4.txt']) writeFileSync(join(big, name), page);
    writeFileSync(join(big, 'huge.txt'), 'x'.repeat(maxUploadBytes + 1));
    const local = await readLocalDocuments(big);
    expect(local.batches.map((batch) => batch.length)).toEqual([3, 1]);
    for (const batch of local.batches) {
      expect(batch.reduce((sum, document) => sum + Buffer.byteLength(document.text), 0))
        .toBeLessThanOrEqual(maxUploadBytes);
    }
    expect(local.skipped).toEqual([
      expect.objectContaining({ documentId: 'huge.txt', reason: expect.stringContaining('upload limit') }),
    ]);
  });
});
