import { gateNames, type GateDecision } from '../../../contracts/gates';
import type { Gate } from '../gate';
import { matchingText } from '../text/normalise';
import { builtInTopics, type Topic } from './topics';

export interface PolicyGateOptions {
  topics: readonly Topic[];
  allowedTopics: readonly string[];
  deniedTopics: readonly string[];
  deniedAction: 'block' | 'review';
}

/** Label used when no topic matches. */
export const generalIntent = 'general';

interface CompiledTopic {
  name: string;
  pattern: RegExp;
}

const escape = (value: string): string => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Policy and intent gate: labels the request with the topic whose keywords it mentions most
 * (the router reads it as the intent), and blocks or reviews topics the tenant's feature
 * denies, or topics outside its allow-list.
 */
export class PolicyGate implements Gate {
  readonly name = gateNames.policy;
  private readonly topics: CompiledTopic[];

  constructor(private readonly options: PolicyGateOptions) {
    // Tenant topics replace built-in ones of the same name.
    const byName = new Map<string, Topic>(builtInTopics.map((topic) => [topic.name, topic]));
    for (const topic of options.topics) byName.set(topic.name, topic);
    this.topics = [...byName.values()].map((topic) => ({
      name: topic.name,
      pattern: new RegExp(`(?<![\\p{L}\\p{N}])(?:${topic.keywords.map((keyword) => escape(matchingText(keyword))).join('|')})(?![\\p{L}\\p{N}])`, 'gu'),
    }));
  }

  /** The intent label and the per-topic keyword counts of a text. */
  classify(text: string): { intent: string; counts: Record<string, number> } {
    const normalised = matchingText(text);
    const counts: Record<string, number> = {};
    let intent = generalIntent;
    let best = 0;
    for (const topic of this.topics) {
      const count = normalised.match(topic.pattern)?.length ?? 0;
      if (count > 0) counts[topic.name] = count;
      if (count > best) {
        best = count;
        intent = topic.name;
      }
    }
    return { intent, counts };
  }

  check(text: string): GateDecision {
    const { intent, counts } = this.classify(text);
    const mentioned = Object.keys(counts);
    const denied = mentioned.filter((topic) => this.options.deniedTopics.includes(topic));
    const outside = this.options.allowedTopics.length > 0 ? mentioned.filter((topic) => !this.options.allowedTopics.includes(topic)) : [];
    const reasons = [...denied.map((topic) => `denied topic: ${topic}`), ...outside.filter((topic) => !denied.includes(topic)).map((topic) => `topic not allowed here: ${topic}`)];
    const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
    const scores: Record<string, number> = {};
    for (const [topic, count] of Object.entries(counts)) scores[`topic.${topic}`] = Math.round((count / total) * 1000) / 1000;
    return { gate: this.name, action: reasons.length > 0 ? this.options.deniedAction : 'allow', reasons, scores, labels: { intent }, unchecked: false };
  }
}
