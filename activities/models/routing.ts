import { extractiveProvider, findModel, type LatencyClass, type ModelCatalog, type ModelEntry, type ModelTier } from '../../contracts/model-catalog';
import type { RoutingDecision, RoutingRequest } from '../../contracts/models';
import { costMicroUsd } from './cost';

/** How the route was picked before the chain is filtered. */
export interface RouteChoice {
  route: string;
  strategy: RoutingDecision['strategy'];
  similarity?: number;
}

const tierRank: Record<ModelTier, number> = { small: 0, medium: 1, large: 2 };
const latencyRank: Record<LatencyClass, number> = { fast: 0, standard: 1, slow: 2 };

// Intents from the input gates that call for a stronger model, and ones a small model handles.
const demandingIntents = /analy|compar|reason|plan|code|summar|draft|explain/i;
const simpleIntents = /lookup|greeting|faq|classif|extract|yes.?no/i;

/**
 * Complexity in [0, 1] from prompt length (tokens) and the gate's intent: long prompts and
 * analytical intents push towards larger models. Deliberately simple and explainable.
 */
export function estimateComplexity(inputTokens: number, intent?: string): number {
  const lengthScore = Math.min(1, Math.log10(1 + inputTokens) / 4); // 10k tokens → 1
  const intentScore = intent === undefined ? 0.5 : demandingIntents.test(intent) ? 0.9 : simpleIntents.test(intent) ? 0.1 : 0.5;
  return Number((0.5 * lengthScore + 0.5 * intentScore).toFixed(3));
}

/** Tier for a complexity score, unless the caller hinted one. */
export function tierFor(complexity: number, hint?: ModelTier): ModelTier {
  if (hint) return hint;
  return complexity >= 0.66 ? 'large' : complexity >= 0.4 ? 'medium' : 'small';
}

export interface ChainCandidate {
  model: ModelEntry;
  estimatedInputTokens: number;
  /** The output allowance the call may use (the request's, capped by the model's). */
  estimatedOutputTokens: number;
  estimatedCostMicroUsd: number;
}

/**
 * Filters and orders a route's chain: models whose context window cannot hold the prompt
 * plus the output allowance, that would cost more than the ceiling, or that are slower than
 * the requested latency class are left out (with the reason recorded); the rest are ordered
 * by closeness to the wanted tier, keeping the route's order among equals.
 */
export function planChain(
  catalog: ModelCatalog, choice: RouteChoice, request: RoutingRequest, countInputTokens: (model: ModelEntry) => number,
): { decision: RoutingDecision; candidates: ChainCandidate[] } {
  const route = catalog.routes[choice.route] ?? catalog.routes.default!;
  const excluded: RoutingDecision['excluded'] = [];
  const counted = new Map<string, number>();
  const inputTokensOf = (model: ModelEntry): number => {
    if (!counted.has(model.id)) counted.set(model.id, countInputTokens(model));
    return counted.get(model.id)!;
  };
  const firstModel = findModel(catalog, route.chain[0]!)!;
  const complexity = estimateComplexity(inputTokensOf(firstModel), request.intent);
  const tier = tierFor(complexity, request.tierHint);

  const candidates: ChainCandidate[] = [];
  for (const id of route.chain) {
    const model = findModel(catalog, id)!;
    const inputTokens = inputTokensOf(model);
    const outputTokens = Math.min(request.maxOutputTokens ?? model.maxOutputTokens, model.maxOutputTokens);
    const estimatedCost = costMicroUsd(model, { inputTokens, outputTokens });
    if (model.provider !== extractiveProvider && inputTokens + outputTokens > model.contextWindow) {
      excluded.push({ modelId: id, reason: `context window ${model.contextWindow} < ${inputTokens} + ${outputTokens} tokens` });
    } else if (request.maxCostMicroUsd !== undefined && estimatedCost > request.maxCostMicroUsd) {
      excluded.push({ modelId: id, reason: `estimated ${estimatedCost} µ$ over the ceiling of ${request.maxCostMicroUsd} µ$` });
    } else if (request.latencyClass !== undefined && latencyRank[model.latencyClass] > latencyRank[request.latencyClass]) {
      excluded.push({ modelId: id, reason: `latency class ${model.latencyClass} slower than ${request.latencyClass}` });
    } else {
      candidates.push({
        model, estimatedInputTokens: inputTokens, estimatedOutputTokens: outputTokens, estimatedCostMicroUsd: estimatedCost,
      });
    }
  }
  // Stable sort: Array.prototype.sort is stable, so the route's order breaks ties.
  candidates.sort((a, b) => Math.abs(tierRank[a.model.tier] - tierRank[tier]) - Math.abs(tierRank[b.model.tier] - tierRank[tier]));
  return {
    decision: { route: choice.route in catalog.routes ? choice.route : 'default', strategy: choice.strategy, ...(choice.similarity !== undefined ? { similarity: choice.similarity } : {}), complexity, tier, excluded, chain: candidates.map((candidate) => candidate.model.id) },
    candidates,
  };
}
