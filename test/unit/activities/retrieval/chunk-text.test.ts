import { chunkText } from '../../../../activities/retrieval/chunk-text';
import { countTextTokens } from '../../../../activities/retrieval/text-tokens';

const sentence = (index: number): string => `Sentence number ${index} talks about durable workflows and retries.`;

describe('chunkText', () => {
  it('splits at Markdown headings and keeps the heading path as the title', () => {
    const chunks = chunkText('# Guide\n\nIntro text.\n\n## Retries\n\nRetry text.\n\n### Backoff\n\nBackoff text.\n\n## Timeouts\n\nTimeout text.', 'doc');
    expect(chunks).toEqual([
      { title: 'Guide', text: 'Intro text.' },
      { title: 'Guide › Retries', text: 'Retry text.' },
      { title: 'Guide › Retries › Backoff', text: 'Backoff text.' },
      { title: 'Guide › Timeouts', text: 'Timeout text.' },
    ]);
  });

  it('uses the document title for text before any heading, and ignores "#" inside code fences', () => {
    expect(chunkText('Plain text only.', 'notes')).toEqual([{ title: 'notes', text: 'Plain text only.' }]);
    const fenced = chunkText('# Setup\n\n```bash\n# install it\nnpm install\n```', 'doc');
    expect(fenced.map((chunk) => chunk.title)).toEqual(['Setup']);
  });

  it('keeps every chunk within the token budget and cuts at sentence ends', () => {
    const text = Array.from({ length: 60 }, (_, index) => sentence(index)).join(' ');
    const chunks = chunkText(text, 'long', { maxTokens: 60, overlapTokens: 12 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      // The per-word estimate may differ from a whole-text count by a token or two.
      expect(countTextTokens(chunk.text)).toBeLessThanOrEqual(62);
      expect(chunk.text).toMatch(/\.$/);
    }
  });

  it('overlaps consecutive chunks and loses no text', () => {
    const words = Array.from({ length: 400 }, (_, index) => `w${index}`);
    const chunks = chunkText(words.join(' '), 'long', { maxTokens: 100, overlapTokens: 20 });
    for (let index = 1; index < chunks.length; index++) {
      const previous = chunks[index - 1]!.text.split(' ');
      const first = chunks[index]!.text.split(' ')[0]!;
      expect(previous).toContain(first);
      expect(previous.at(-1)).not.toBe(first);
    }
    const seen = new Set(chunks.flatMap((chunk) => chunk.text.split(' ')));
    expect(words.every((word) => seen.has(word))).toBe(true);
  });

  it('cuts a single over-long word into chunks within the budget instead of stalling', () => {
    const chunks = chunkText(`${'x'.repeat(5000)} tail`, 'blob', { maxTokens: 50, overlapTokens: 10 });
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(countTextTokens(chunk.text)).toBeLessThanOrEqual(50);
    expect(chunks.slice(0, -1).every((chunk) => /^x+$/.test(chunk.text))).toBe(true);
    expect(chunks.at(-1)!.text).toMatch(/^x* ?tail$/);
  });

  it('is deterministic', () => {
    const text = '# A\n\none two three\n\n# B\n\nfour five';
    expect(chunkText(text, 't')).toEqual(chunkText(text, 't'));
  });
});
