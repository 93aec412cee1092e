import { gateNames, type GateDecision, type PiiType } from '../../../contracts/gates';
import type { Gate } from '../gate';
import { detectPii } from '../pii/detect-pii';
import { withoutPublicValues } from '../pii/public-values';
import { countByType, redactIrreversibly } from '../pii/redaction';
import { canonicalText } from '../text/normalise';

/**
 * Output PII scan. The model only ever saw placeholders, so any raw PII in its answer came from
 * retrieved documents or the model itself: it is redacted irreversibly, blocked or reviewed.
 */
export class PiiLeakGate implements Gate {
  readonly name = gateNames.piiLeak;
  constructor(private readonly options: {
    types: readonly PiiType[]; action: 'redact' | 'block' | 'review'; defaultRegion: string;
    /** The tenant's published contacts, never flagged. */
    publicValues?: readonly string[];
  }) {}

  check(text: string): GateDecision {
    const canonical = canonicalText(text);
    const found = detectPii(canonical, this.options.types, this.options.defaultRegion);
    const spans = withoutPublicValues(found, this.options.publicValues);
    if (spans.length === 0) return { gate: this.name, action: 'allow', reasons: [], scores: { leak: 0 }, unchecked: false };
    const reasons = Object.entries(countByType(spans)).map(([type, count]) => `answer contains ${count} ${type} not from the user`);
    if (this.options.action !== 'redact') return { gate: this.name, action: this.options.action, reasons, scores: { leak: 1 }, unchecked: false };
    return {
      gate: this.name, action: 'redact', reasons, scores: { leak: 1 },
      redactedText: redactIrreversibly(canonical, spans), unchecked: false,
    };
  }
}
