// Decodes payloads an attacker may wrap an injection in (base64, hex, percent-encoding,
// \u escapes) so the same detectors can read them. Only decodings that look like text count.

const base64Run = /[A-Za-z0-9+/]{24,}={0,2}/g;
const hexRun = /\b(?:[0-9a-fA-F]{2}){16,}\b/g;
const percentRun = /(?:%[0-9a-fA-F]{2}){6,}/g;
const unicodeEscapeRun = /(?:\\u[0-9a-fA-F]{4}){6,}/g;

/** At most this many encoded runs are decoded per text, so a hostile flood stays cheap. */
const maxRuns = 16;

function looksLikeText(decoded: string): boolean {
  if (decoded.length < 8) return false;
  let printable = 0;
  for (const character of decoded) if (/[\p{L}\p{N}\p{P}\s]/u.test(character)) printable += 1;
  return printable / decoded.length > 0.9;
}

/** Text hidden in encoded runs inside `text`, decoded; empty when there is none. */
export function decodeEmbeddedPayloads(text: string): string[] {
  const decoded: string[] = [];
  const tryAdd = (value: string) => {
    if (looksLikeText(value)) decoded.push(value);
  };
  const runs = (pattern: RegExp) => (text.match(pattern) ?? []).slice(0, maxRuns);
  for (const run of runs(base64Run)) tryAdd(Buffer.from(run, 'base64').toString('utf8'));
  for (const run of runs(hexRun)) tryAdd(Buffer.from(run, 'hex').toString('utf8'));
  for (const run of runs(percentRun)) {
    try {
      tryAdd(decodeURIComponent(run));
    } catch {
      // Not valid percent-encoded UTF-8: nothing hidden that a model would read either.
    }
  }
  for (const run of runs(unicodeEscapeRun)) tryAdd(run.replace(/\\u([0-9a-fA-F]{4})/g, (_, code: string) => String.fromCharCode(parseInt(code, 16))));
  return decoded;
}
