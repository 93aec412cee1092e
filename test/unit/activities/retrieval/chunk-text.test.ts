import { chunkText } from '../../../../activities/retrieval/chunk-text';

describe('chunkText', () => {
  it('splits at Markdown headings and keeps the heading path as the title', () => {
    const chunks = chunkText('# Guide\n\nIntro text.\n\n## Retries\n\nRetry text.\n\n### Backoff\n\nBackoff text.', 'doc');
    expect(chunks).toEqual([
      { title: 'Guide', text: 'Intro text.' },
      { title: 'Guide › Retries', text: 'Retry text.' },
      { title: 'Guide › Retries › Backoff', text: 'Backoff text.' },
    ]);
  });

  it('uses the document title for text before any heading', () => {
    expect(chunkText('Plain text only.', 'notes')).toEqual([{ title: 'notes', text: 'Plain text only.' }]);
  });

  it('packs long sections into overlapping chunks of at most maxWords', () => {
    const words = Array.from({ length: 250 }, (_, index) => `w${index}`).join(' ');
    const chunks = chunkText(words, 'long', { maxWords: 100, overlapWords: 20 });
    expect(chunks.map((chunk) => chunk.text.split(' ').length)).toEqual([100, 100, 90]);
    expect(chunks[1]!.text.startsWith('w80 ')).toBe(true);
    expect(chunks[2]!.text.endsWith('w249')).toBe(true);
  });

  it('is deterministic', () => {
    const text = '# A\n\none two three\n\n# B\n\nfour five';
    expect(chunkText(text, 't')).toEqual(chunkText(text, 't'));
  });
});
