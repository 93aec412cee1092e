import type { TiktokenBPE } from 'js-tiktoken/lite';
import { PairHeap } from './bpe-pair-heap';

// A byte-pair encoder over one compact table, for the token counts Sluice takes (budgets, context packing, the PII
// gate's one-token words). js-tiktoken keys its table by each token's bytes joined with commas: for cl100k that is
// 100k strings and a Map, ~9 MiB of heap, kept for the worker's life. Here all token bytes sit in one buffer and
// an open-addressing hash table of int32 slots finds them (~2.5 MiB for cl100k), and lookups hash a slice of the
// piece's bytes instead of building a string. The merge order is js-tiktoken's (lowest rank first, leftmost on a
// tie), so the ids are the same; a test compares them on mixed text and on every token of the table.

const fnvOffset = 0x811c9dc5;
const fnvPrime = 0x01000193;
/** Pieces longer than this many bytes merge through a heap; shorter ones by rescanning, which is faster there. */
const longPiece = 128;

function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = fnvOffset;
  for (let index = start; index < end; index++) hash = Math.imul(hash ^ bytes[index]!, fnvPrime);
  return hash >>> 0;
}

export class CompactBpeEncoder {
  private readonly pool: Uint8Array;
  /** Entry i's bytes are pool[offsets[i] .. offsets[i + 1]). */
  private readonly offsets: Int32Array;
  private readonly ranks: Int32Array;
  /** Entry index + 1 per slot; 0 is empty. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly pattern: RegExp;
  private readonly utf8 = new TextEncoder();

  constructor(bpe: TiktokenBPE) {
    const tokens: Buffer[] = [];
    const ranks: number[] = [];
    for (const line of bpe.bpe_ranks.split('\n')) {
      if (!line) continue;
      // "! <first rank> <token> <token> …": consecutive ranks from the first, each token base64 encoded.
      const [, first, ...encoded] = line.split(' ');
      const offset = Number.parseInt(first!, 10);
      encoded.forEach((token, index) => {
        tokens.push(Buffer.from(token, 'base64'));
        ranks.push(offset + index);
      });
    }
    this.pool = new Uint8Array(tokens.reduce((total, token) => total + token.length, 0));
    this.offsets = new Int32Array(tokens.length + 1);
    tokens.forEach((token, index) => {
      this.pool.set(token, this.offsets[index]!);
      this.offsets[index + 1] = this.offsets[index]! + token.length;
    });
    this.ranks = Int32Array.from(ranks);
    let capacity = 1;
    while (capacity < tokens.length * 2) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let entry = 0; entry < tokens.length; entry++) {
      let slot = hashBytes(this.pool, this.offsets[entry]!, this.offsets[entry + 1]!) & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = entry + 1;
    }
    this.pattern = new RegExp(bpe.pat_str, 'ug');
  }

  /** The rank of bytes[start, end), or -1 when no token has exactly those bytes. */
  rankOf(bytes: Uint8Array, start = 0, end = bytes.length): number {
    const length = end - start;
    for (let slot = hashBytes(bytes, start, end) & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot]! - 1;
      if (entry < 0) return -1;
      const from = this.offsets[entry]!;
      if (this.offsets[entry + 1]! - from !== length) continue;
      let same = true;
      for (let index = 0; index < length && same; index++) same = this.pool[from + index] === bytes[start + index];
      if (same) return this.ranks[entry]!;
    }
  }

  /**
   * Token ids of `text`, every part of it read as ordinary text: a literal "<|endoftext|>" in a document or a
   * question is counted as the characters it is (a provider bills it so), where js-tiktoken's `encode` throws.
   */
  encode(text: string): number[] {
    const ids: number[] = [];
    for (const match of text.matchAll(this.pattern)) {
      const piece = this.utf8.encode(match[0]);
      const whole = this.rankOf(piece);
      if (whole >= 0) ids.push(whole);
      else this.mergePairs(piece, ids);
    }
    return ids;
  }

  /** js-tiktoken's byte-pair merge: join the adjacent pair of lowest rank (leftmost on a tie) until none joins. */
  private mergePairs(piece: Uint8Array, ids: number[]): void {
    if (piece.length > longPiece) {
      this.mergeLongPiece(piece, ids);
      return;
    }
    // boundaries[i] is where part i starts; the last entry is the piece's end.
    const boundaries = Array.from({ length: piece.length + 1 }, (_, index) => index);
    while (boundaries.length > 2) {
      let best = -1;
      let bestRank = Number.POSITIVE_INFINITY;
      for (let part = 0; part < boundaries.length - 2; part++) {
        const rank = this.rankOf(piece, boundaries[part]!, boundaries[part + 2]!);
        if (rank >= 0 && rank < bestRank) {
          bestRank = rank;
          best = part;
        }
      }
      if (best < 0) break;
      boundaries.splice(best + 1, 1);
    }
    for (let part = 0; part < boundaries.length - 1; part++) {
      const rank = this.rankOf(piece, boundaries[part]!, boundaries[part + 1]!);
      if (rank >= 0) ids.push(rank);
    }
  }

  /**
   * The same merges in O(n log n) for a long piece (a DNA sequence, a run of letters in a data blob): rescanning
   * every pair after each merge is quadratic, 0.6 s for 16,000 letters and minutes for a megabyte. Parts form a
   * linked list; a heap holds each adjacent pair keyed by (rank, start), so the lowest rank, leftmost on a tie,
   * comes first, as in the scan; a pair whose left part changed since it was queued is skipped.
   */
  private mergeLongPiece(piece: Uint8Array, ids: number[]): void {
    const length = piece.length;
    const next = Int32Array.from({ length }, (_, index) => index + 1);
    const previous = Int32Array.from({ length }, (_, index) => index - 1);
    const version = new Int32Array(length);
    const alive = new Uint8Array(length).fill(1);
    const heap = new PairHeap();
    const queue = (start: number) => {
      const end = next[start]!;
      if (end >= length) return;
      const rank = this.rankOf(piece, start, next[end]!);
      if (rank >= 0) heap.push(rank, start, version[start]!);
    };
    for (let start = 0; start < length - 1; start++) queue(start);
    for (let pair = heap.pop(); pair; pair = heap.pop()) {
      const { start, stamp } = pair;
      if (!alive[start] || version[start] !== stamp) continue;
      const right = next[start]!;
      const end = next[right]!;
      alive[right] = 0;
      next[start] = end;
      if (end < length) previous[end] = start;
      version[start]! += 1;
      queue(start);
      const left = previous[start]!;
      if (left >= 0) {
        version[left]! += 1;
        queue(left);
      }
    }
    for (let start = 0; start < length; start = next[start]!) {
      const rank = this.rankOf(piece, start, next[start]!);
      if (rank >= 0) ids.push(rank);
    }
  }
}
