import { join } from 'node:path';
import { gateNames, type GateDecision } from '../../../contracts/gates';
import { roundScore, thresholdAction, type Gate } from '../gate';
import { LinearModel, readModelFile } from '../text/linear-model';
import { matchingText } from '../text/normalise';

let sharedModel: LinearModel | undefined;
/** The trained safety classifier (hashed n-grams, trained on moderation/dev.jsonl), loaded once. */
export function safetyModel(): LinearModel {
  sharedModel ??= new LinearModel(readModelFile(join(__dirname, 'safety-model.json')));
  return sharedModel;
}

const windowSize = 800;
const windowStep = 600;

/** Probability that a text is unsafe (sexual, hate, violence, harassment, self-harm), max over windows. */
export function scoreSafety(text: string): number {
  const normalised = matchingText(text);
  let score = 0;
  for (let start = 0; start === 0 || start < normalised.length; start += windowStep) {
    score = Math.max(score, safetyModel().probability(normalised.slice(start, start + windowSize)));
    if (start + windowSize >= normalised.length) break;
  }
  return score;
}

/** Safety / toxicity check of an answer (or any text). */
export class SafetyGate implements Gate {
  readonly name = gateNames.safety;
  constructor(private readonly thresholds: { reviewThreshold: number; blockThreshold: number }) {}

  check(text: string): GateDecision {
    const score = scoreSafety(text);
    const action = thresholdAction(score, this.thresholds);
    return { gate: this.name, action, reasons: action === 'allow' ? [] : ['classifier: resembles unsafe content'], scores: { unsafe: roundScore(score) }, unchecked: false };
  }
}
