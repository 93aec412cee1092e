import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listSourceFiles, readSourceText, SourceNotFoundError } from '../../../../activities/retrieval/read-sources';

describe('reading sources', () => {
  const root = mkdtempSync(join(tmpdir(), 'sluice-sources-'));
  mkdirSync(join(root, 'nested'));
  writeFileSync(join(root, 'a.md'), '# Title\n\nHello.');
  writeFileSync(join(root, 'nested', 'b.txt'), 'Nested text.');
  writeFileSync(join(root, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  writeFileSync(join(root, 'empty.md'), '  \n');
  writeFileSync(join(root, 'binary.txt'), Buffer.from([0x41, 0x00, 0x42]));
  writeFileSync(join(root, 'image.png'), Buffer.from([0x89, 0x50]));
  writeFileSync(join(root, '.hidden.md'), 'secret');

  it('lists supported files recursively, sorted, with ids relative to the root', async () => {
    const files = await listSourceFiles(root);
    expect(files.map((file) => file.documentId)).toEqual(['a.md', 'binary.txt', 'empty.md', 'latin1.txt', join('nested', 'b.txt')]);
  });

  it('gives a reason instead of text for files that cannot be ingested', async () => {
    const files = await listSourceFiles(root);
    const outcome = async (id: string) => readSourceText(files.find((file) => file.documentId === id)!);
    expect(await outcome('a.md')).toEqual({ ok: true, text: '# Title\n\nHello.' });
    expect(await outcome('latin1.txt')).toEqual({ ok: false, reason: 'not valid UTF-8 text' });
    expect(await outcome('empty.md')).toEqual({ ok: false, reason: 'empty' });
    expect(await outcome('binary.txt')).toEqual({ ok: false, reason: 'binary content' });
  });

  it('rejects a missing path with SourceNotFoundError', async () => {
    await expect(listSourceFiles(join(root, 'missing'))).rejects.toBeInstanceOf(SourceNotFoundError);
  });
});
