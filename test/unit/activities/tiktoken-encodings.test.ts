import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';
import { execFileSync } from 'node:child_process';
import { CompactBpeEncoder } from '../../../activities/compact-bpe-encoder';
import { sharedEncoding } from '../../../activities/tiktoken-encodings';
import { seededRandom } from '../../helpers/seeded-random';

const ranksOf = (name: string) => require(`js-tiktoken/ranks/${name}`) as TiktokenBPE;

// Sluice's encoder keeps its own compact table (compact-bpe-encoder.ts); it must encode exactly as OpenAI's
// tokenizers do, which js-tiktoken reproduces.
describe('sharedEncoding', () => {
  it('encodes with the real cl100k_base and o200k_base ranks', () => {
    expect(sharedEncoding('cl100k_base').encode('hello world')).toEqual([15339, 1917]);
    expect(sharedEncoding('o200k_base').encode('hello world')).toEqual([24912, 2375]);
  });

  it("keeps no reference to the ranks file's text once the table is built (a plain Node process)", () => {
    // Node holds a required module in its cache and in the requiring module's `children`; jest's registry differs.
    const script = `
      const { sharedEncoding } = require(${JSON.stringify(require.resolve('../../../activities/tiktoken-encodings'))});
      sharedEncoding('cl100k_base').encode('hello');
      const ranks = require.resolve('js-tiktoken/ranks/cl100k_base');
      const held = Object.values(require.cache).filter((module) =>
        module.id === ranks || module.children.some((child) => child.id === ranks));
      process.stdout.write(JSON.stringify(held.map((module) => module.id)));`;
    const output = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual([]);
  });

  it('builds each encoding once per process', () => {
    expect(sharedEncoding('cl100k_base')).toBe(sharedEncoding('cl100k_base'));
    expect(sharedEncoding('o200k_base')).not.toBe(sharedEncoding('cl100k_base'));
  });

  it.each(['cl100k_base', 'o200k_base'])('finds every token of %s at its rank, and no other byte string', (name) => {
    const ranks = ranksOf(name);
    const encoder = new CompactBpeEncoder(ranks);
    const mismatches: string[] = [];
    let tokens = 0;
    for (const line of ranks.bpe_ranks.split('\n').filter(Boolean)) {
      const [, first, ...encoded] = line.split(' ');
      encoded.forEach((token, index) => {
        tokens += 1;
        if (encoder.rankOf(Buffer.from(token, 'base64')) !== Number(first) + index) mismatches.push(token);
      });
    }
    expect(tokens).toBeGreaterThan(100_000);
    expect(mismatches).toEqual([]);
    // Bytes that are no token: a rare sequence, and a token's bytes with one more byte.
    expect(encoder.rankOf(Uint8Array.from([0xff, 0xfe, 0xfd, 0xfc, 0xfb]))).toBe(-1);
    const utf8 = new TextEncoder();
    expect(encoder.rankOf(utf8.encode('hello'), 0, 4)).toBe(encoder.rankOf(utf8.encode('hell')));
  });

  it.each(['cl100k_base', 'o200k_base'])('encodes as the library does on %s: mixed scripts, emoji, code, random text',
    (name) => {
      const library = new Tiktoken(ranksOf(name));
      const encoder = new CompactBpeEncoder(ranksOf(name));
      const texts = [
        'Déjà vu: 3,520,031 inhabitants 🎉 in Berlin — "quoted", tabs\tand\nnew lines, Straße, 東京.',
        'def f(x):\n    return x**2  # comment\n\n\n   ', 'ＡＢＣ１２３ مرحبا بالعالم Привет мир 👩‍👩‍👧‍👦',
        'supercalifragilisticexpialidocious antidisestablishmentarianism'.repeat(20), '', ' ',
        '\u0000\u0001\uffff',
      ];
      const random = seededRandom(7);
      const alphabet = [...'aé東🎉 \n\t0,.-_"\'Zß€Ωж'];
      for (let index = 0; index < 300; index += 1) {
        const length = 1 + Math.floor(random() * 60);
        texts.push(Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
      }
      for (const text of texts) expect(encoder.encode(text)).toEqual(library.encode(text));
    });

  // Pieces over 128 bytes merge through a heap instead of rescanning every pair (compact-bpe-encoder.ts).
  it.each(['cl100k_base', 'o200k_base'])('merges long pieces as the library does on %s: letter runs, DNA, repeats',
    (name) => {
      const library = new Tiktoken(ranksOf(name));
      const encoder = new CompactBpeEncoder(ranksOf(name));
      const random = seededRandom(11);
      const letters = (alphabet: string, length: number) =>
        Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const texts = [
        letters('ACGT', 3000), letters('abcdefghijklmnopqrstuvwxyz', 2000), letters('aeiouAEIOUnrstlé', 1500),
        'a'.repeat(1000), 'ab'.repeat(700), 'the'.repeat(500), 'Straße'.repeat(100), letters('abc', 129),
        letters('東京都', 400), `prefix ${letters('xyzXYZ', 900)} suffix`,
      ];
      for (const text of texts) expect(encoder.encode(text)).toEqual(library.encode(text));
    });

  it('counts a literal special token as the text it is, where the library would throw', () => {
    const library = new Tiktoken(ranksOf('cl100k_base'));
    const text = 'a document about tokenizers: <|endoftext|> ends a sample, <|fim_prefix|> starts one';
    expect(() => library.encode(text)).toThrow(/special token/);
    expect(sharedEncoding('cl100k_base').encode(text)).toEqual(library.encode(text, [], []));
    expect(sharedEncoding('cl100k_base').encode('<|endoftext|>')).not.toContain(100257);
  });
});
