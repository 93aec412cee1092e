import { chunkText } from '../../../../activities/retrieval/chunk-text';
import { htmlToText } from '../../../../activities/retrieval/parse-html';
import { parseDocument } from '../../../../activities/retrieval/parse-document';
import { countTextTokens } from '../../../../activities/retrieval/text-tokens';

// One bad document must never fail a folder's ingest: text that is legal but huge or odd in shape
// (one 1 MB paragraph, a 2 MB JSON-lines record, text without spaces, deep markup) is chunked into
// ordinary chunks, without overflowing the stack or backtracking for minutes.

/** ~1 MB of prose in one paragraph: 150,000 distinct words, no blank line, no heading. */
const hugeParagraphWords = (): string[] =>
  Array.from({ length: 150_000 }, (_, index) => `w${index}${index % 40 === 39 ? '.' : ''}`);

/** Asserts chunks are of ordinary size: within the token budget, checked on a spread of samples. */
function expectOrdinaryChunks(chunks: { text: string }[], maxTokens = 200): void {
  const step = Math.max(1, Math.floor(chunks.length / 50));
  for (let index = 0; index < chunks.length; index += step) {
    expect(countTextTokens(chunks[index]!.text)).toBeLessThanOrEqual(maxTokens + 2);
  }
  expect(chunks.reduce((longest, chunk) => Math.max(longest, chunk.text.length), 0)).toBeLessThan(4000);
}

/** Runs `work` and the milliseconds it took. */
function timed<T>(work: () => T): [T, number] {
  const started = performance.now();
  const result = work();
  return [result, performance.now() - started];
}

describe('chunking hostile text', () => {
  it('chunks a 1 MB single paragraph into ordinary chunks, losing no text', () => {
    const words = hugeParagraphWords();
    const text = words.join(' ');
    expect(text.length).toBeGreaterThan(1_000_000);
    const chunks = chunkText(text, 'huge');
    expect(chunks.length).toBeGreaterThan(500);
    expectOrdinaryChunks(chunks);
    const seen = new Set<string>();
    for (const chunk of chunks) for (const word of chunk.text.split(' ')) seen.add(word);
    expect(words.filter((word) => !seen.has(word))).toEqual([]);
  });

  it('cuts 1 MB of text without spaces (CJK) into ordinary chunks in seconds', () => {
    const cjk = Array.from({ length: 350_000 }, (_, index) => String.fromCodePoint(0x4e00 + ((index * 7919) % 20000)));
    const [chunks, elapsed] = timed(() => chunkText(cjk.join(''), 'cjk'));
    expect(chunks.length).toBeGreaterThan(100);
    expectOrdinaryChunks(chunks);
    expect(elapsed).toBeLessThan(30_000);
    // Pieces of a cut word are joined back without spaces.
    expect(chunks[0]!.text).not.toContain(' ');
    expect(cjk.join('').startsWith(chunks[0]!.text)).toBe(true);
  });

  it('keeps surrogate pairs whole when it cuts a long word', () => {
    const emoji = '😀'.repeat(2000);
    const chunks = chunkText(emoji, 'emoji', { maxTokens: 50, overlapTokens: 0 });
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((chunk) => chunk.text).join('')).toBe(emoji);
  });

  it('parses a heading line with a long run of spaces in linear time', () => {
    const [chunks, elapsed] = timed(() => chunkText(`# Title${' '.repeat(3000)}x\n\nBody.`, 'doc'));
    expect(chunks).toEqual([{ title: `Title${' '.repeat(3000)}x`, text: 'Body.' }]);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('keeps reading ATX headings as before: closing "#"s dropped, levels nested', () => {
    expect(chunkText('# Guide ##\n\nA.\n\n## C# tips\n\nB.\n\n####### not a heading', 'doc')).toEqual([
      { title: 'Guide', text: 'A.' },
      { title: 'Guide › C# tips', text: 'B.\n\n####### not a heading' },
    ]);
  });

  it('parses and chunks a 2 MB JSON-lines record', () => {
    const body = Array.from({ length: 300_000 }, (_, index) => `term${index % 997}`).join(' ');
    const line = JSON.stringify({ id: 'big', title: 'Big record', text: body });
    expect(line.length).toBeGreaterThan(2_000_000);
    const text = `${JSON.stringify({ id: 'small', text: 'A small record.' })}\n${line}\n`;
    const parsed = parseDocument({ documentId: 'records.jsonl', text, format: 'jsonl' });
    expect(parsed.skipped).toEqual([]);
    expect(parsed.documents.map((document) => document.documentId))
      .toEqual(['records.jsonl#small', 'records.jsonl#big']);
    const chunks = chunkText(parsed.documents[1]!.text, parsed.documents[1]!.title);
    expect(chunks.length).toBeGreaterThan(1000);
    expectOrdinaryChunks(chunks);
  });

  it('reads HTML nested 100,000 elements deep, in headings and titles too', () => {
    const depth = 100_000;
    const page = `<head><title>${'<b>'.repeat(depth)}Deep title${'</b>'.repeat(depth)}</title></head>`
      + `<h1>${'<i>'.repeat(depth)}Deep heading${'</i>'.repeat(depth)}</h1>`
      + `${'<div>'.repeat(depth)}Deep text.${'</div>'.repeat(depth)}`;
    expect(htmlToText(page)).toEqual({ title: 'Deep title', text: '# Deep heading\n\nDeep text.' });
  });

  it('reads a page whose inline elements are never closed, keeping every word', () => {
    // The parser no longer hoists unclosed elements' children level by level (quadratic: 140 KB took ~8 s).
    const page = `<p>Start.</p>${'<b><i>word '.repeat(20_000)}<p>End.`;
    const { text } = htmlToText(page);
    expect(text.startsWith('Start.\n\nword word')).toBe(true);
    expect(text.match(/word/g)).toHaveLength(20_000);
    expect(text.endsWith('word\n\nEnd.')).toBe(true);
  });

  it('strips a page full of unterminated XML declarations in linear time', () => {
    const [parsed, elapsed] = timed(() => htmlToText(`${'<?xml '.repeat(30_000)}<p>Text.</p>`));
    expect(parsed.text).toContain('Text.');
    expect(elapsed).toBeLessThan(5_000);
  });
});
