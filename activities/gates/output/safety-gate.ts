import { join } from 'node:path';
import { gateNames, type GateDecision } from '../../../contracts/gates';
import { roundScore, thresholdAction, type Gate } from '../gate';
import { LinearModel, readModelFile } from '../text/linear-model';
import { matchingText } from '../text/normalise';
import { clampedLogit, secondStageProbability, usableSecondStage, type SecondStage } from '../text/second-stage';
import { safetySecondStageModel } from './safety-second-stage';

let sharedModel: LinearModel | undefined;
/**
 * The trained safety classifier (hashed n-grams; moderation/dev.jsonl, tweets and scored model answers:
 * scripts/train-linear-gate.ts), loaded once.
 */
export function safetyModel(): LinearModel {
  sharedModel ??= new LinearModel(readModelFile(join(__dirname, 'safety-model.json')));
  return sharedModel;
}

const windowSize = 800;
const windowStep = 600;

/** The first stage's score of a text and the window it came from (normalised text). */
export interface SafetyScores {
  /** Probability that the text is unsafe, max over windows. */
  score: number;
  /** The window that scored highest: what the second stage embeds. */
  span: string;
}

/** Scores text with the first stage (`model`: the shipped classifier unless a fold's is given). */
export function safetyScores(text: string, model: LinearModel = safetyModel()): SafetyScores {
  const normalised = matchingText(text);
  let score = -1;
  let span = '';
  for (let start = 0; start === 0 || start < normalised.length; start += windowStep) {
    const window = normalised.slice(start, start + windowSize);
    const probability = model.probability(window);
    if (probability > score) [score, span] = [probability, window];
    if (start + windowSize >= normalised.length) break;
  }
  return { score, span };
}

/** Probability that a text is unsafe (sexual, hate, violence, harassment, self-harm), max over windows. */
export function scoreSafety(text: string): number {
  return safetyScores(text).score;
}

/**
 * Safety / toxicity check of an answer (or any text), in two stages. The first, a hashed n-gram
 * classifier, decides alone below its uncertain band and at or above the block threshold. Between,
 * when the process has the sentence embedder the second-stage model was trained on, the highest
 * window is embedded and the second stage (embedding plus the first stage's score) decides between
 * allow and review, either way: cross-validated on the training rows, escalating alone bought its
 * recall with flags on benign text, deciding both ways did not. It never blocks. Without that
 * embedder, or when embedding fails or is late, the first stage's decision stands, synchronously.
 */
export class SafetyGate implements Gate {
  readonly name = gateNames.safety;

  /**
   * @param secondStage the model and embedder; by default the shipped model with the embedder given
   * to useSentenceEmbedderForGates, when it is the model's own in-process embedder (read at each
   * check, so gates built before the worker registered its embedder use it too). `null` turns the
   * stage off.
   */
  constructor(
    private readonly thresholds: { reviewThreshold: number; blockThreshold: number },
    private readonly secondStage?: SecondStage | null,
  ) {}

  check(text: string): GateDecision | Promise<GateDecision> {
    const { decision, scores } = this.decide(text);
    const stage = this.secondStage === undefined ? usableSecondStage(safetySecondStageModel) : this.secondStage;
    if (!stage || scores.score < stage.model.bandFrom || decision.action === 'block' || !scores.span) return decision;
    return this.secondLook(decision, scores, stage);
  }

  /** The first stage's decision with the scores it came from. Synchronous. */
  decide(text: string): { decision: GateDecision; scores: SafetyScores } {
    const scores = safetyScores(text);
    const action = thresholdAction(scores.score, this.thresholds);
    return {
      scores,
      decision: {
        gate: this.name, action, reasons: action === 'allow' ? [] : ['classifier: resembles unsafe content'],
        scores: { unsafe: roundScore(scores.score) }, unchecked: false,
      },
    };
  }

  private async secondLook(decision: GateDecision, scores: SafetyScores, stage: SecondStage): Promise<GateDecision> {
    const probability = await secondStageProbability(stage, scores.span, scores.score);
    if (probability === undefined) return decision;
    // Moved so the model's cross-validated threshold sits at 0.5, the default review threshold: a
    // tenant reviewing at 0.3 stays stricter than one at 0.5.
    const secondStage = 1 / (1 + Math.exp(-(clampedLogit(probability) - clampedLogit(stage.model.reviewAt))));
    const review = secondStage >= this.thresholds.reviewThreshold;
    return {
      ...decision,
      action: review ? 'review' : 'allow',
      reasons: review ? ['second stage: its meaning resembles unsafe content (sentence embedding)'] : [],
      scores: { ...decision.scores, secondStage: roundScore(secondStage) },
    };
  }
}
