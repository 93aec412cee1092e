import type { GateDecision } from '../../../contracts/gates';
import { gateNames } from '../../../contracts/gates';
import { roundScore, thresholdAction, type Gate, type GateContext } from '../gate';
import { LinearModel } from '../text/linear-model';
import { canonicalText, matchingText } from '../text/normalise';
import { decodeEmbeddedPayloads } from './encoded-payloads';
import { injectionSignals } from './injection-rules';
import injectionModelFile from './injection-model.json';

/** Long texts are scored in overlapping windows, so one injected paragraph is not diluted. */
const windowSize = 600;
const windowStep = 450;

let sharedModel: LinearModel | undefined;
/** The trained classifier, loaded once per process. */
export function injectionModel(): LinearModel {
  sharedModel ??= new LinearModel(injectionModelFile);
  return sharedModel;
}

/** Scores of one text: rule-based, classifier and combined, each in [0, 1]. */
export interface InjectionScores {
  rules: number;
  classifier: number;
  combined: number;
  reasons: string[];
}

function windows(text: string): string[] {
  if (text.length <= windowSize) return [text];
  const result: string[] = [];
  for (let start = 0; start < text.length; start += windowStep) {
    result.push(text.slice(start, start + windowSize));
    if (start + windowSize >= text.length) break;
  }
  return result;
}

/** Scores text for injection: rules and the classifier, also over decoded payloads inside it. */
export function scoreInjection(text: string, source: 'user' | 'document' = 'user', model: LinearModel | undefined = injectionModel()): InjectionScores {
  const plain = matchingText(text);
  const decoded = decodeEmbeddedPayloads(canonicalText(text)).map(matchingText);
  const reasons = new Set<string>();
  let remaining = 1;
  let classifier = 0;
  for (const [index, candidate] of [plain, ...decoded].entries()) {
    const suffix = index === 0 ? '' : ' (inside an encoded payload)';
    for (const signal of injectionSignals) {
      if (signal.documentsOnly && source !== 'document') continue;
      if (signal.pattern.test(candidate)) {
        reasons.add(signal.reason + suffix);
        remaining *= 1 - signal.weight;
      }
    }
    if (model) {
      for (const window of windows(candidate)) classifier = Math.max(classifier, model.probability(window));
    }
    if (index > 0) reasons.add('contains an encoded text payload');
  }
  // An encoded text payload is a mild signal on its own: ordinary questions rarely carry one.
  if (decoded.length > 0) remaining *= 0.8;
  const rules = 1 - remaining;
  const combined = 1 - (1 - rules) * (1 - classifier);
  if (classifier >= 0.5) reasons.add('classifier: resembles known injections');
  return { rules, classifier, combined, reasons: [...reasons] };
}

/** Prompt-injection and jailbreak gate: hand-written signals plus a trained linear classifier. */
export class InjectionGate implements Gate {
  readonly name = gateNames.injection;
  constructor(private readonly thresholds: { reviewThreshold: number; blockThreshold: number } = { reviewThreshold: 0.5, blockThreshold: 0.75 }) {}

  check(text: string, context?: GateContext): GateDecision {
    const scores = scoreInjection(text, context?.source ?? 'user');
    return {
      gate: this.name,
      action: thresholdAction(scores.combined, this.thresholds),
      reasons: scores.reasons,
      scores: { injection: roundScore(scores.combined), rules: roundScore(scores.rules), classifier: roundScore(scores.classifier) },
      unchecked: false,
    };
  }
}
