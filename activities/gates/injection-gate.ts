import type { GateDecision } from '../../contracts/gates';
import type { Gate } from './gate';

// Instruction-override and role-escape phrasings, each with a weight. Text is normalised
// first (NFKC, zero-width characters removed) so look-alike and hidden characters don't hide them.
const signals: { pattern: RegExp; weight: number; reason: string }[] = [
  { pattern: /\b(ignore|disregard|forget|override)\b.{0,40}\b(previous|prior|above|earlier|all|your)\b.{0,30}\b(instructions?|rules|prompts?|directions|guidelines)\b/i, weight: 0.9, reason: 'asks to override earlier instructions' },
  { pattern: /\b(vergiss|ignoriere)\b.{0,60}\b(anweisungen|regeln|alles)\b/i, weight: 0.9, reason: 'asks to override earlier instructions (German)' },
  { pattern: /\b(system prompt|your instructions|initial prompt|hidden prompt)\b/i, weight: 0.5, reason: 'asks about the system prompt' },
  { pattern: /\b(you are now|act as|pretend (to be|you are)|roleplay as|from now on you)\b/i, weight: 0.45, reason: 'role-play escape' },
  { pattern: /\b(jailbreak|DAN mode|developer mode|do anything now)\b/i, weight: 0.8, reason: 'known jailbreak phrase' },
  { pattern: /\b(reveal|print|show|repeat)\b.{0,30}\b(secret|password|api key|credentials|prompt)\b/i, weight: 0.6, reason: 'asks to reveal secrets' },
];

/** Removes zero-width and other format characters that can split a keyword invisibly. */
export function normaliseForMatching(text: string): string {
  return text.normalize('NFKC').replace(/\p{Cf}/gu, '');
}

/** Prompt-injection heuristic: the highest-weight signal found, combined with any others. */
export class InjectionGate implements Gate {
  readonly name = 'prompt-injection';
  constructor(private readonly blockThreshold = 0.8) {}

  check(text: string): GateDecision {
    const normalised = normaliseForMatching(text);
    const hits = signals.filter((signal) => signal.pattern.test(normalised));
    // Independent signals combine as 1 - Π(1 - w).
    const score = 1 - hits.reduce((remaining, hit) => remaining * (1 - hit.weight), 1);
    const action = score >= this.blockThreshold ? 'block' : 'allow';
    return { gate: this.name, action, reasons: hits.map((hit) => hit.reason), scores: { injection: Number(score.toFixed(3)) }, unchecked: false };
  }
}
