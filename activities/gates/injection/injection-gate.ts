import { join } from 'node:path';
import type { GateDecision } from '../../../contracts/gates';
import { gateNames } from '../../../contracts/gates';
import { roundScore, thresholdAction, type Gate, type GateContext } from '../gate';
import { LinearModel, readModelFile } from '../text/linear-model';
import { injectionSignals, type InjectionSignal } from './injection-rules';
import { secondStageProbability, usableSecondStage } from '../text/second-stage';
import { SecondStageModel, type SecondStage } from './second-stage';
import { multilingualSignals, type MultilingualSignal } from './multilingual-rules';
import { textViews } from './text-views';

/** Long texts are scored in overlapping windows, so one injected paragraph is not diluted. */
const windowSize = 600;
const windowStep = 450;
/** Texts longer than this are also scored passage by passage, so one injected sentence is not diluted. */
const passageFrom = 200;
/** Sentences shorter than this are scored together with the next one. */
const passageMinimum = 25;

let sharedModel: LinearModel | undefined;
/** The trained classifier, loaded once per process. */
export function injectionModel(): LinearModel {
  sharedModel ??= new LinearModel(readModelFile(join(__dirname, 'injection-model.json')));
  return sharedModel;
}

let sharedSecondStageModel: SecondStageModel | undefined;
/** The trained second-stage model (over sentence embeddings), loaded once per process. */
export function injectionSecondStageModel(): SecondStageModel {
  sharedSecondStageModel ??= new SecondStageModel(readModelFile(join(__dirname, 'injection-second-stage.json')));
  return sharedSecondStageModel;
}

/** Scores of one text: rule-based, classifier and combined, each in [0, 1]. */
export interface InjectionScores {
  rules: number;
  classifier: number;
  combined: number;
  reasons: string[];
  /** The span the classifier scored highest (a window or passage of one view), '' when none was scored. */
  classifierSpan: string;
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

/**
 * Words an injection addressed to the model nearly always has (English and German, the languages the
 * classifier was trained on). Only passages with one are scored on their own: that keeps the cost
 * of long documents near what the windows alone cost.
 */
const addressesTheModel = new RegExp('\\b(you|your|yours|yourself|me|please|act|ignore|disregard|forget|override'
  + '|bypass|instructions?|prompts?|guidelines|directives?|assistant|ai|chatbot|pretend|roleplay|jailbreak|reveal'
  + '|verbatim|conversation'
  + '|du|dein\\w*|dich|dir|vergiss|ignorier\\w*|anweisung\\w*|ki)\\b');

/**
 * Passages of a long text to score on their own: each sentence (very short ones joined to the
 * next), and each with the sentence after it, so a two-sentence injection is read whole. Only
 * passages with a word that addresses the model are kept.
 */
function passages(text: string): string[] {
  if (text.length <= passageFrom) return [];
  const sentences: string[] = [];
  let current = '';
  for (const sentence of text.split(/(?<=[.!?。！？])\s+|\n+/)) {
    current = current ? `${current} ${sentence}` : sentence;
    if (current.length >= passageMinimum) {
      sentences.push(current);
      current = '';
    }
  }
  if (current) sentences.push(current);
  if (sentences.length < 2) return [];
  const result: string[] = [];
  sentences.forEach((sentence, index) => {
    const next = sentences[index + 1];
    for (const passage of next === undefined ? [sentence] : [sentence, `${sentence} ${next}`]) {
      if (passage.length <= windowSize && addressesTheModel.test(passage)) result.push(passage);
    }
  });
  return result;
}

/**
 * The spans of a text the classifier scores on its own: overlapping windows of the whole text and,
 * for long texts, passages that address the model. Training uses it too, so benign long texts
 * are learnt from in the pieces the gate will read them in.
 */
export function classifierSpans(text: string): string[] {
  return [...windows(text), ...passages(text)];
}

const allSignals: readonly MultilingualSignal[] = [...injectionSignals, ...multilingualSignals];

/** How a reason reads when the signal fired on a view other than the text as written. */
function inView(reason: string, label: string): string {
  if (!label) return reason;
  // Kept as it was before the other views existed: audit queries may look for it.
  if (label === 'encoded payload') return `${reason} (inside an encoded payload)`;
  return `${label} matches: ${reason}`;
}

/**
 * Scores text for injection: rules and the classifier over every view of the text (as written,
 * look-alikes folded, rot13-decoded, reversed, tag characters and encoded payloads decoded …),
 * keeping the worst; each disguise found adds a mild signal of its own.
 */
export function scoreInjection(
  text: string, source: 'user' | 'document' = 'user', model: LinearModel | undefined = injectionModel(),
): InjectionScores {
  const { views, disguises } = textViews(text);
  // Each signal counts once, under the first view it fires on (the text as written comes first).
  const fired = new Map<InjectionSignal, string>();
  let classifier = 0;
  let classifierReason = '';
  let classifierSpan = '';
  for (const view of views) {
    // Each language's precondition is tested once per view: on a long text each test is a full scan.
    const met = new Map<RegExp, boolean>();
    const meets = (requirement: RegExp) =>
      met.get(requirement) ?? met.set(requirement, requirement.test(view.text)).get(requirement)!;
    for (const signal of allSignals) {
      if (fired.has(signal) || (signal.documentsOnly && source !== 'document')) continue;
      if (signal.requires && !meets(signal.requires)) continue;
      if (signal.pattern.test(view.text) && !signal.unless?.test(view.text)) {
        fired.set(signal, inView(signal.reason, view.label));
      }
    }
    if (!model || !view.classify) continue;
    for (const window of windows(view.text)) {
      const score = model.probability(window);
      if (score > classifier || !classifierSpan) {
        classifier = Math.max(classifier, score);
        classifierSpan = window;
        classifierReason = view.label ? `classifier: ${view.label} resembles known injections` : '';
      }
    }
    for (const passage of passages(view.text)) {
      const score = model.probability(passage);
      if (score > classifier) {
        classifier = score;
        classifierSpan = passage;
        classifierReason = `classifier: a passage of the ${view.label || 'text'} resembles known injections`;
      }
    }
  }
  let remaining = 1;
  for (const signal of fired.keys()) remaining *= 1 - signal.weight;
  for (const disguise of disguises) remaining *= 1 - disguise.weight;
  const rules = 1 - remaining;
  const combined = 1 - (1 - rules) * (1 - classifier);
  const reasons = [...new Set([...fired.values(), ...disguises.map((disguise) => disguise.reason)])];
  if (classifier >= 0.5) reasons.push(classifierReason || 'classifier: resembles known injections');
  return { rules, classifier, combined, reasons, classifierSpan };
}

/** Prompt-injection and jailbreak gate: hand-written signals plus a trained linear classifier. Synchronous. */
export class InjectionGate implements Gate {
  readonly name = gateNames.injection;
  constructor(
    private readonly thresholds: { reviewThreshold: number; blockThreshold: number } =
    { reviewThreshold: 0.5, blockThreshold: 0.75 },
  ) {}

  check(text: string, context?: GateContext): GateDecision {
    return this.decide(text, context).decision;
  }

  /** The decision with the scores it came from, for the second stage. */
  decide(text: string, context?: GateContext): { decision: GateDecision; scores: InjectionScores } {
    const scores = scoreInjection(text, context?.source ?? 'user');
    return {
      scores,
      decision: {
        gate: this.name,
        action: thresholdAction(scores.combined, this.thresholds),
        reasons: scores.reasons,
        scores: {
          injection: roundScore(scores.combined),
          rules: roundScore(scores.rules),
          classifier: roundScore(scores.classifier),
        },
        unchecked: false,
      },
    };
  }
}

/**
 * The injection gate with its second stage: texts the first stage would allow but scores in its
 * uncertain band (from the model's `bandFrom` up to the review threshold) are embedded and scored
 * again; a confident second stage escalates them to review, never to block. Without a usable
 * embedder it decides exactly as InjectionGate, synchronously; it is asynchronous only for the
 * texts it embeds.
 */
export class TwoStageInjectionGate implements Gate {
  readonly name = gateNames.injection;
  private readonly firstStage: InjectionGate;

  /**
   * @param secondStage the model and embedder; by default the shipped model with the embedder given
   * to useSentenceEmbedderForGates, when that is the model's own in-process embedder (read at
   * each check, so gates built before the worker registered its embedder use it too). `null` turns
   * the stage off.
   */
  constructor(
    thresholds: { reviewThreshold: number; blockThreshold: number } = { reviewThreshold: 0.5, blockThreshold: 0.75 },
    private readonly secondStage?: SecondStage | null,
  ) {
    this.firstStage = new InjectionGate(thresholds);
  }

  check(text: string, context?: GateContext): GateDecision | Promise<GateDecision> {
    const { decision, scores } = this.firstStage.decide(text, context);
    // Prompts only: the second model was trained and measured on prompts, and documents that describe
    // injections (a security guide, this project's own docs) resemble them in meaning.
    const stage = context?.source === 'document' ? undefined : this.usableSecondStage();
    if (!stage || decision.action !== 'allow' || scores.combined < stage.model.bandFrom || !scores.classifierSpan) {
      return decision;
    }
    return this.secondLook(decision, scores.classifierSpan, stage);
  }

  private usableSecondStage(): SecondStage | undefined {
    if (this.secondStage !== undefined) return this.secondStage ?? undefined;
    return usableSecondStage(injectionSecondStageModel);
  }

  /** Embeds the span the classifier scored highest and scores it with the second-stage model. */
  private async secondLook(decision: GateDecision, span: string, stage: SecondStage): Promise<GateDecision> {
    // Past the budget, or if the embedder fails, the first stage's decision stands.
    const probability = await secondStageProbability(stage, span);
    if (probability === undefined) return decision;
    const scores = { ...decision.scores, secondStage: roundScore(probability) };
    if (probability < stage.model.reviewAt) return { ...decision, scores };
    return {
      ...decision, action: 'review', scores,
      reasons: [...decision.reasons, 'second stage: its meaning resembles known injections (sentence embedding)'],
    };
  }
}
