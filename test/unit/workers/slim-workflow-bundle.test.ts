import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSegment, encodeSegment, slimWorkflowBundle } from '../../../workers/slim-workflow-bundle.cjs';
import { bundleWorkflowsInChildProcess } from '../../../workers/workflow-bundle';

const workflowsPath = require.resolve('../../../workflows');
const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface SourceMap {
  sources: string[];
  mappings: string;
  sourcesContent?: (string | null)[];
}

function splitBundle(bundle: string): { code: string; map: SourceMap } {
  const start = bundle.lastIndexOf('//# sourceMappingURL=data:');
  const base64 = bundle.slice(bundle.indexOf('base64,', start) + 'base64,'.length).trim();
  return { code: bundle.slice(0, start), map: JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as SourceMap };
}

function withInlineMap(code: string, map: SourceMap): string {
  const base64 = Buffer.from(JSON.stringify(map)).toString('base64');
  return `${code}//# sourceMappingURL=data:application/json;base64,${base64}`;
}

/** [line, generated column, the segment's other numbers as written] of every mapping, columns absolute. */
function segments(mappings: string): [number, number, number[]][] {
  return mappings.split(';').flatMap((line, lineIndex) => {
    let column = 0;
    return line === '' ? [] : line.split(',').map((segment): [number, number, number[]] => {
      const [delta, ...rest] = decodeSegment(segment);
      column += delta!;
      return [lineIndex, column, rest];
    });
  });
}

interface Mapping {
  line: number;
  column: number;
  /** Source, original line, original column and name, absolute; empty for an unmapped segment. */
  origin: number[];
}

/** Every segment with all its numbers absolute. */
function absoluteMappings(mappings: string): Mapping[] {
  const origin = [0, 0, 0, 0];
  return segments(mappings).map(([line, column, rest]) => {
    rest.forEach((value, index) => { origin[index] = origin[index]! + value; });
    return { line, column, origin: origin.slice(0, rest.length) };
  });
}

describe('source-map VLQ segments', () => {
  it('round-trips numbers of every size and sign', () => {
    const values = [0, 1, -1, 15, 16, -16, 31, 32, 1000, -1000, 123_456, -987_654];
    expect(decodeSegment(encodeSegment(values))).toEqual(values);
    expect(encodeSegment([0, 0, 0, 0])).toBe('AAAA');
    expect(encodeSegment([16])).toBe('gB');
    expect(() => decodeSegment('A!')).toThrow(/VLQ/);
  });
});

describe('slimWorkflowBundle', () => {
  // A hand-made bundle: wide characters before code on the same line, in a template, a regex and a comment.
  const code = 'const s = `a→b`; const r = /[–—]x/u; /* ✖ */ const t = "—";\nmodule.exports = { s, r, t };\n';
  const columns = ['const s', 's =', 'const r', 'r =', 'const t', 't ='].map((text) => code.indexOf(text));
  const mappings = [columns.map((column, index) => encodeSegment([index === 0 ? 0 : column - columns[index - 1]!, 0, 0,
    index === 0 ? 0 : column - columns[index - 1]!])).join(','), encodeSegment([0, 0, 1, -46])].join(';');
  const handmade = withInlineMap(code, { sources: ['a.ts'], mappings, sourcesContent: ['the original source'] });

  it('leaves only one-byte characters, drops the sources text and keeps the sources', () => {
    const slim = slimWorkflowBundle(handmade);
    expect(/[^\x00-\xff]/.test(slim)).toBe(false);
    const { map } = splitBundle(slim);
    expect(map.sourcesContent).toBeUndefined();
    expect(map.sources).toEqual(['a.ts']);
  });

  it('means the same code: strings, templates and regular expressions evaluate alike', () => {
    const evaluate = (source: string) => {
      const module = { exports: {} as { s: string; r: RegExp; t: string } };
      new Function('module', source)(module);
      return module.exports;
    };
    const before = evaluate(splitBundle(handmade).code);
    const after = evaluate(splitBundle(slimWorkflowBundle(handmade)).code);
    expect(after.s).toBe(before.s);
    expect(after.t).toBe(before.t);
    expect(after.r.test('—x')).toBe(true);
    expect(after.r.source).not.toBe(before.r.source);
  });

  it('moves each generated column past the escapes before it, so every mapping points at the same code', () => {
    const slim = splitBundle(slimWorkflowBundle(handmade));
    const original = splitBundle(handmade);
    const before = segments(original.map.mappings);
    const after = segments(slim.map.mappings);
    expect(after.map(([line, , rest]) => [line, rest])).toEqual(before.map(([line, , rest]) => [line, rest]));
    const originalLines = original.code.split('\n');
    const slimLines = slim.code.split('\n');
    after.forEach(([line, column], index) => {
      const [, originalColumn] = before[index]!;
      expect(slimLines[line]!.slice(column, column + 5))
        .toBe(originalLines[line]!.slice(originalColumn, originalColumn + 5));
    });
    expect(after.map(([, column]) => column)).toEqual([0, 6, 22, 28, 65, 71, 0]);
  });

  it('keeps wide characters where String.raw could read an escape as written', () => {
    const rawCode = 'module.exports = { s: String.raw`a→b` };\n';
    const slim = splitBundle(slimWorkflowBundle(withInlineMap(rawCode, { sources: ['a.ts'], mappings: 'AAAA' })));
    expect(slim.code).toBe(rawCode);
    expect(slim.map.mappings).toBe('AAAA');
  });

  it('fails clearly on a bundle without an inline source map', () => {
    expect(() => slimWorkflowBundle('var x = 1;\n')).toThrow(/no inline source map/);
  });

  it("keeps the real workflows' bundle's mappings on the same code, library code by line", async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath, logger: silent });
    const original = splitBundle(code);
    const slim = splitBundle(slimWorkflowBundle(code));
    expect(/[^\x00-\xff]/.test(original.code)).toBe(true);
    const before = absoluteMappings(original.map.mappings);
    const after = absoluteMappings(slim.map.mappings);
    expect(before.length).toBeGreaterThan(10_000);
    const isLibrary = (mapping: Mapping) =>
      mapping.origin.length > 0 && /\/node_modules\/|^webpack/.test(original.map.sources[mapping.origin[0]!]!);
    const originalLines = original.code.split('\n');
    const slimLines = slim.code.split('\n');
    const escape = (text: string) =>
      text.replace(/[^\x00-\xff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const sameOrigin = (a: Mapping, b: Mapping) => a.line === b.line && a.origin.join() === b.origin.join();
    const sameSourceLine = (a: Mapping, b: Mapping) =>
      a.line === b.line && a.origin.slice(0, 2).join() === b.origin.slice(0, 2).join();
    // The slim mappings are the original ones in order, less library segments that repeat the kept segment's line.
    let next = 0;
    let moved = 0;
    let kept: Mapping | undefined;
    for (const mapping of after) {
      while (!sameOrigin(before[next]!, mapping)) {
        expect(isLibrary(before[next]!) && kept !== undefined && sameSourceLine(before[next]!, kept)).toBe(true);
        next++;
      }
      const { column: originalColumn } = before[next]!;
      const expected = escape(originalLines[mapping.line]!.slice(originalColumn, originalColumn + 12));
      expect(slimLines[mapping.line]!.slice(mapping.column)).toMatch(new RegExp(`^${escapeRegExp(expected)}`));
      if (mapping.column !== originalColumn) moved++;
      kept = mapping;
      next++;
    }
    const rest = before.slice(next);
    const last = kept;
    expect(rest.every((mapping) => last !== undefined && isLibrary(mapping) && sameSourceLine(mapping, last)))
      .toBe(true);
    expect(moved).toBeGreaterThan(0);
    expect(after.filter((mapping) => !isLibrary(mapping)).length).toBe(before.filter((m) => !isLibrary(m)).length);
    expect(after.filter(isLibrary).length).toBeLessThan(before.filter(isLibrary).length / 2);
  }, 60_000);

  it('is what a worker bundled in a child process loads', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sluice-slim-')), 'bundle.js');
    await bundleWorkflowsInChildProcess({ workflowsPath }, path);
    const slim = splitBundle(readFileSync(path, 'utf8'));
    expect(/[^\x00-\xff]/.test(slim.code)).toBe(false);
    expect(slim.map.sourcesContent).toBeUndefined();
    expect(slim.map.sources.some((source) => source.endsWith('workflows/answer-workflow.ts'))).toBe(true);
  }, 60_000);
});
