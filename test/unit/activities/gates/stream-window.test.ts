import {
  minimumHoldBackCharacters, nothingReleased, releasePrefix, StreamWindow, structuredPiiTypes, type Released,
} from '../../../../activities/gates/output/stream-window';
import { PiiLeakGate } from '../../../../activities/gates/output/pii-leak-gate';

// The stream window: whatever the chunking, no released prefix ever holds any part of a value the
// pii-leak gate redacts, released prefixes only grow, and the final flush equals the gate's answer.

const holdBackCharacters = minimumHoldBackCharacters;
const filler = (words: number): string =>
  Array.from({ length: words }, (_, index) => ['the', 'refund', 'arrives', 'within', 'thirty', 'days'][index % 6])
    .join(' ');
const around = (value: string): string => `${filler(30)} ${value} and ${filler(30)}.`;

const values = {
  email: 'maria.lopez@example.com',
  card: '4111 1111 1111 1111',
  apiKey: 'sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12',
  // A local part of 60 characters: no detector can see an email until its domain arrives.
  longEmail: 'customer.relations.department.for.enterprise.accounts.europe@example.com',
  pem: '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA1x7v0 q2k9 Xz3 longkeymaterial\n-----END RSA PRIVATE KEY-----',
} as const;

/** Feeds `chunks` in order and returns every released prefix, then the final flush. */
function stream(chunks: readonly string[]): { released: string[]; final: string } {
  let received = '';
  let state: Released = nothingReleased;
  const released: string[] = [];
  for (const chunk of chunks) {
    received += chunk;
    state = releasePrefix(received, { holdBackCharacters }, state);
    released.push(state.text);
  }
  return { released, final: releasePrefix(received, { holdBackCharacters }, state, true).text };
}

/** Every way of cutting `text` in two, and the one of cutting it into single characters. */
function chunkings(text: string): string[][] {
  const pairs = Array.from({ length: text.length - 1 }, (_, index) => [
    text.slice(0, index + 1), text.slice(index + 1),
  ]);
  return [...pairs, [...text]];
}

describe('stream window', () => {
  it.each(Object.entries(values))('never releases any part of a split %s, and only ever grows', (_name, value) => {
    const text = around(value);
    const gated = new PiiLeakGate({ types: structuredPiiTypes, action: 'redact', defaultRegion: 'US' })
      .check(text).redactedText;
    expect(gated).toBeDefined();
    expect(gated).not.toContain(value.slice(0, 12));
    for (const chunks of chunkings(text)) {
      const { released, final } = stream(chunks);
      // The flush is what the gate itself makes of the whole answer.
      expect(final).toBe(gated);
      let previous = '';
      for (const prefix of released) {
        // A prefix of the gated answer holds no part of the value (the gated answer holds none).
        if (!gated!.startsWith(prefix)) {
          throw new Error(`released ${JSON.stringify(prefix)} in ${chunks.length} chunks`);
        }
        expect(prefix.startsWith(previous)).toBe(true);
        previous = prefix;
      }
    }
  });

  it('releases text before the stream ends, with values inside it redacted as the gate does', () => {
    const text = `${filler(5)} ${values.card} ${filler(40)}`;
    const { released } = stream([text]);
    expect(released[0]).toContain('[REDACTED CREDIT_CARD]');
    expect(released[0]!.length).toBeGreaterThan(text.length - 2 * holdBackCharacters);
    // The last W characters are held back.
    expect(releasePrefix(text, { holdBackCharacters }).cut).toBeLessThanOrEqual(text.length - holdBackCharacters);
  });

  it('holds back the whole text while it is shorter than the window, and releases it at the flush', () => {
    const window = new StreamWindow({ holdBackCharacters: 200 });
    expect(window.update(filler(20))).toBe('');
    expect(window.flush(filler(20))).toBe(filler(20));
  });

  it('keeps what it released when a later reading would rewrite it', () => {
    const previous: Released = { cut: 10, text: 'Something ' };
    expect(releasePrefix(`Other text ${filler(40)}`, { holdBackCharacters }, previous)).toBe(previous);
  });

  it('never holds back less than the minimum window', () => {
    const text = filler(40);
    const { cut } = releasePrefix(text, { holdBackCharacters: 1 });
    expect(cut).toBeLessThanOrEqual(text.length - minimumHoldBackCharacters);
  });
});
