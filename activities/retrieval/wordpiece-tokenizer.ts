import { readFileSync } from 'node:fs';

/** Token ids for one text, ready for a BERT-style encoder. */
export interface EncodedText {
  inputIds: number[];
  /** 1 for real tokens; the caller pads. */
  attentionMask: number[];
}

const isControl = (char: string): boolean => /[\p{Cc}\p{Cf}]/u.test(char) && !/[\t\n\r]/.test(char);
const isPunctuation = (char: string): boolean => {
  const code = char.codePointAt(0)!;
  // BERT treats every non-letter/number ASCII symbol as punctuation, plus Unicode P* classes.
  if ((code >= 33 && code <= 47) || (code >= 58 && code <= 64) || (code >= 91 && code <= 96) || (code >= 123 && code <= 126)) return true;
  return /\p{P}/u.test(char);
};
const isCjk = (code: number): boolean =>
  (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf) || (code >= 0x20000 && code <= 0x2a6df) ||
  (code >= 0x2a700 && code <= 0x2b73f) || (code >= 0x2b740 && code <= 0x2b81f) || (code >= 0x2b820 && code <= 0x2ceaf) ||
  (code >= 0xf900 && code <= 0xfaff) || (code >= 0x2f800 && code <= 0x2fa1f);

/**
 * The uncased BERT tokenizer (BasicTokenizer + WordPiece) as used by all-MiniLM-L6-v2:
 * clean control characters, split CJK characters, lower-case, strip accents, split on
 * whitespace and punctuation, then greedy longest-match-first word pieces ("##" continuations).
 */
export class WordPieceTokenizer {
  private readonly vocabulary: Map<string, number>;
  readonly clsId: number;
  readonly sepId: number;
  readonly unkId: number;

  constructor(vocabularyLines: readonly string[], private readonly maxCharsPerWord = 100) {
    this.vocabulary = new Map(vocabularyLines.map((token, index) => [token, index] as const).filter(([token]) => token !== ''));
    const id = (token: string): number => {
      const value = this.vocabulary.get(token);
      if (value === undefined) throw new Error(`vocabulary lacks ${token}`);
      return value;
    };
    this.clsId = id('[CLS]');
    this.sepId = id('[SEP]');
    this.unkId = id('[UNK]');
  }

  /** Loads a `vocab.txt` (one token per line; the line number is the id). */
  static fromFile(path: string): WordPieceTokenizer {
    return new WordPieceTokenizer(readFileSync(path, 'utf8').split(/\r?\n/));
  }

  /** Basic tokenization: the words and punctuation marks WordPiece then splits. */
  basicTokens(text: string): string[] {
    let cleaned = '';
    for (const char of text) {
      const code = char.codePointAt(0)!;
      if (code === 0 || code === 0xfffd || isControl(char)) continue;
      cleaned += isCjk(code) ? ` ${char} ` : /\s/u.test(char) ? ' ' : char;
    }
    const tokens: string[] = [];
    for (const word of cleaned.split(' ')) {
      if (!word) continue;
      const folded = word.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
      let current = '';
      for (const char of folded) {
        if (isPunctuation(char)) {
          if (current) tokens.push(current);
          tokens.push(char);
          current = '';
        } else current += char;
      }
      if (current) tokens.push(current);
    }
    return tokens;
  }

  /** WordPiece ids of one basic token. */
  private wordPieces(word: string): number[] {
    const chars = [...word];
    if (chars.length > this.maxCharsPerWord) return [this.unkId];
    const pieces: number[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: number | undefined;
      while (start < end) {
        const piece = (start > 0 ? '##' : '') + chars.slice(start, end).join('');
        found = this.vocabulary.get(piece);
        if (found !== undefined) break;
        end -= 1;
      }
      if (found === undefined) return [this.unkId];
      pieces.push(found);
      start = end;
    }
    return pieces;
  }

  /** `[CLS] pieces… [SEP]`, truncated to `maxLength` tokens in all. */
  encode(text: string, maxLength: number): EncodedText {
    const ids: number[] = [this.clsId];
    for (const token of this.basicTokens(text)) {
      for (const id of this.wordPieces(token)) {
        if (ids.length >= maxLength - 1) break;
        ids.push(id);
      }
      if (ids.length >= maxLength - 1) break;
    }
    ids.push(this.sepId);
    return { inputIds: ids, attentionMask: ids.map(() => 1) };
  }

  /** The vocabulary token for an id (for tests and debugging). */
  tokenOf(id: number): string | undefined {
    for (const [token, value] of this.vocabulary) if (value === id) return token;
    return undefined;
  }
}
