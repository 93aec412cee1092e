import { gateNames, type GateDecision, type PiiType } from '../../../contracts/gates';
import type { Gate } from '../gate';
import { canonicalText } from '../text/normalise';
import { detectPii } from './detect-pii';
import { countByType, redactSpans, type RedactionMap } from './redaction';

/** A decision plus the placeholder map; the runner seals the map and never returns it in clear. */
export interface RedactingDecision extends GateDecision {
  redactions?: RedactionMap;
}

export interface PiiGateOptions {
  types: readonly PiiType[];
  action: 'redact' | 'block' | 'review';
  defaultRegion: string;
}

/** Input PII gate: finds PII and replaces it with placeholders the model sees instead. */
export class PiiGate implements Gate {
  readonly name = gateNames.pii;
  constructor(private readonly options: PiiGateOptions) {}

  check(text: string): RedactingDecision {
    // Detection and redaction run on the canonical text, so a zero-width space inside an
    // address cannot hide it, and the model receives the canonical text with placeholders.
    const canonical = canonicalText(text);
    const spans = detectPii(canonical, this.options.types, this.options.defaultRegion);
    if (spans.length === 0) return { gate: this.name, action: 'allow', reasons: [], scores: { pii: 0 }, unchecked: false };
    const counts = countByType(spans);
    const reasons = Object.entries(counts).map(([type, count]) => `found ${count} ${type}`);
    if (this.options.action !== 'redact') return { gate: this.name, action: this.options.action, reasons, scores: { pii: 1 }, unchecked: false };
    const redacted = redactSpans(canonical, spans);
    return { gate: this.name, action: 'redact', reasons, scores: { pii: 1 }, redactedText: redacted.text, redactions: redacted.map, unchecked: false };
  }
}
