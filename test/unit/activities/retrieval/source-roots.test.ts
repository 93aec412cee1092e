import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceNotAllowedError, SourceRoots } from '../../../../activities/retrieval/source-roots';
import { ConfigError } from '../../../../contracts/config';
import { loadIngestRoots } from '../../../../contracts/ingest-roots';
import { defaultIngestRoots } from '../../../../workers/embedded-defaults';

// Which files a tenant may make the worker read by path.
describe('ingest source roots', () => {
  const base = mkdtempSync(join(tmpdir(), 'sluice-roots-'));
  const acmeDocs = join(base, 'acme');
  const otherDocs = join(base, 'other');
  mkdirSync(acmeDocs);
  mkdirSync(otherDocs);
  writeFileSync(join(acmeDocs, 'guide.md'), '# Guide');
  writeFileSync(join(otherDocs, 'secret.md'), '# Secret');
  symlinkSync(join(otherDocs, 'secret.md'), join(acmeDocs, 'link.md'));
  symlinkSync(otherDocs, join(acmeDocs, 'linked-folder'));
  const roots = new SourceRoots({ acme: [acmeDocs], other: [otherDocs] });

  it('lets a tenant read inside its own folders', async () => {
    await expect(roots.resolve('acme', join(acmeDocs, 'guide.md'))).resolves.toBe(join(acmeDocs, 'guide.md'));
    await expect(roots.resolve('acme', acmeDocs)).resolves.toBe(acmeDocs);
  });

  it.each([
    ['another tenant\'s folder', () => otherDocs],
    ['a `..` path out of its folder', () => join(acmeDocs, '..', 'other', 'secret.md')],
    ['a symlinked file pointing out', () => join(acmeDocs, 'link.md')],
    ['a symlinked folder pointing out', () => join(acmeDocs, 'linked-folder')],
    ['a folder whose name only starts like its own', () => `${acmeDocs}-evil`],
    ['any other file on the worker', () => '/etc/hostname'],
  ])('refuses %s', async (_case, path) => {
    if (path().endsWith('-evil')) mkdirSync(path(), { recursive: true });
    await expect(roots.resolve('acme', path())).rejects.toBeInstanceOf(SourceNotAllowedError);
  });

  it('by default lets no tenant read anything but the sample corpus', async () => {
    const defaults = new SourceRoots(loadIngestRoots({}, defaultIngestRoots));
    await expect(defaults.resolve('acme', join(__dirname, '..', '..', '..', '..', 'examples', 'corpus')))
      .resolves.toContain('examples');
    await expect(defaults.resolve('acme', acmeDocs)).rejects.toBeInstanceOf(SourceNotAllowedError);
    await expect(defaults.resolve('acme', '/etc/hostname')).rejects.toBeInstanceOf(SourceNotAllowedError);
  });

  it('reads SLUICE_INGEST_ROOTS per tenant and "*" for all, naming the variable when it is wrong', async () => {
    const configured = new SourceRoots(loadIngestRoots({
      SLUICE_INGEST_ROOTS: JSON.stringify({ acme: [acmeDocs], '*': [otherDocs] }),
    }, {}));
    await expect(configured.resolve('acme', join(acmeDocs, 'guide.md'))).resolves.toBeDefined();
    await expect(configured.resolve('beta', join(otherDocs, 'secret.md'))).resolves.toBeDefined();
    await expect(configured.resolve('beta', join(acmeDocs, 'guide.md'))).rejects.toBeInstanceOf(SourceNotAllowedError);
    expect(() => loadIngestRoots({ SLUICE_INGEST_ROOTS: '{"acme": ["relative/path"]}' }, {})).toThrow(ConfigError);
    expect(() => loadIngestRoots({ SLUICE_INGEST_ROOTS: '{"acme": ["relative/path"]}' }, {}))
      .toThrow(/SLUICE_INGEST_ROOTS: acme\.0: must be an absolute path/);
    expect(() => loadIngestRoots({ SLUICE_INGEST_ROOTS: 'not json' }, {}))
      .toThrow(/SLUICE_INGEST_ROOTS: not valid JSON/);
  });
});
