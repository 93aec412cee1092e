import { RecentVectors } from '../../../../activities/retrieval/recent-vectors';

describe('RecentVectors', () => {
  it('returns a kept vector as a copy, exactly at float32 precision', () => {
    const recent = new RecentVectors(8);
    const vector = [Math.fround(0.1), Math.fround(-0.25), 0.5];
    recent.set('question', vector);
    const copy = recent.get('question')!;
    expect(copy).toEqual(vector);
    copy[0] = 9;
    expect(recent.get('question')).toEqual(vector);
    expect(recent.get('another question')).toBeUndefined();
  });

  it('drops the least recently used vector past its limit', () => {
    const recent = new RecentVectors(2);
    recent.set('a', [1]);
    recent.set('b', [2]);
    recent.get('a'); // a is now the most recent
    recent.set('c', [3]);
    expect([recent.get('a'), recent.get('b'), recent.get('c')]).toEqual([[1], undefined, [3]]);
    expect(recent.size).toBe(2);
  });

  it('keeps short texts only (questions, not chunks)', () => {
    const recent = new RecentVectors(8, 10);
    recent.set('a long passage of text', [1]);
    expect(recent.size).toBe(0);
  });
});
