import { WordPieceTokenizer } from '../../../../activities/retrieval/wordpiece-tokenizer';

// A toy vocabulary in the BERT layout (the line number is the id), so these tests need no model.
const vocabulary = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'un', '##aff', '##able', 'hello', ',', 'world', '!', 'cafe', 'runn', '##ing', '中', '国'];
const tokenizer = new WordPieceTokenizer(vocabulary);
const tokens = (text: string, max = 64) => tokenizer.encode(text, max).inputIds.map((id) => vocabulary[id]);

describe('WordPieceTokenizer', () => {
  it('splits words into the longest vocabulary pieces, with ## continuations', () => {
    expect(tokens('unaffable running')).toEqual(['[CLS]', 'un', '##aff', '##able', 'runn', '##ing', '[SEP]']);
  });

  it('lower-cases, strips accents and splits punctuation like BERT\'s basic tokenizer', () => {
    expect(tokens('Hello, WORLD! Café')).toEqual(['[CLS]', 'hello', ',', 'world', '!', 'cafe', '[SEP]']);
  });

  it('splits CJK characters and maps unknown words to [UNK]', () => {
    expect(tokens('中国 zebra')).toEqual(['[CLS]', '中', '国', '[UNK]', '[SEP]']);
  });

  it('drops control characters and truncates to the window, keeping [SEP] last', () => {
    expect(tokens('hello\u0000\u0007 world')).toEqual(['[CLS]', 'hello', 'world', '[SEP]']);
    const long = tokens('hello '.repeat(100), 8);
    expect(long).toHaveLength(8);
    expect(long[7]).toBe('[SEP]');
    expect(tokenizer.encode('hello world', 16).attentionMask).toEqual([1, 1, 1, 1]);
  });
});
