// The byte-pair encoder's queue of adjacent pairs for long pieces (compact-bpe-encoder.ts).

/** A binary min-heap of adjacent pairs, ordered by rank and then by start. */
export class PairHeap {
  private keys: number[] = [];
  private stamps: number[] = [];

  // Ranks are below 2^21 and starts below 2^32, so one float key orders by rank first, start second, exactly.
  push(rank: number, start: number, stamp: number): void {
    const { keys, stamps } = this;
    let index = keys.length;
    keys.push(rank * 2 ** 32 + start);
    stamps.push(stamp);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (keys[parent]! <= keys[index]!) break;
      this.swap(index, parent);
      index = parent;
    }
  }

  pop(): { start: number; stamp: number } | undefined {
    const { keys, stamps } = this;
    if (keys.length === 0) return undefined;
    const top = { start: keys[0]! % 2 ** 32, stamp: stamps[0]! };
    const lastKey = keys.pop()!;
    const lastStamp = stamps.pop()!;
    if (keys.length > 0) {
      keys[0] = lastKey;
      stamps[0] = lastStamp;
      for (let index = 0; ;) {
        const left = 2 * index + 1;
        const right = left + 1;
        let smallest = index;
        if (left < keys.length && keys[left]! < keys[smallest]!) smallest = left;
        if (right < keys.length && keys[right]! < keys[smallest]!) smallest = right;
        if (smallest === index) break;
        this.swap(index, smallest);
        index = smallest;
      }
    }
    return top;
  }

  private swap(a: number, b: number): void {
    [this.keys[a], this.keys[b]] = [this.keys[b]!, this.keys[a]!];
    [this.stamps[a], this.stamps[b]] = [this.stamps[b]!, this.stamps[a]!];
  }
}
