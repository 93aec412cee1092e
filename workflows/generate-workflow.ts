import { setCurrentDetails } from '@temporalio/workflow';
import { generateRequestSchema, type GenerateResult } from '../contracts/models';
import { workflowStatuses } from '../contracts/search-attributes';
import { workflowVersioning } from '../contracts/worker-deployment';
import { generateWithFallback, planModelRoute } from './generate-with-fallback';
import { parseWorkflowInput } from './parse-input';
import { markExecution } from './search-attributes';
import { declareVersioning } from './versioning';

/**
 * Durable generation: route the request to a model chain, call each model on its provider's
 * queue with retries, fall back on final failures, and end with the extractive answer marked
 * `degraded` if every provider is down. Useful to apps on its own (summaries, drafts).
 */
export async function generateWorkflow(rawRequest: unknown): Promise<GenerateResult> {
  const request = parseWorkflowInput(generateRequestSchema, rawRequest);
  markExecution({ tenant: request.tenant, feature: request.feature, status: workflowStatuses.running });

  setCurrentDetails('routing');
  const plan = await planModelRoute({
    messages: request.messages, maxOutputTokens: request.maxOutputTokens, route: request.route, tierHint: request.tierHint,
    intent: request.intent, maxCostMicroUsd: request.maxCostMicroUsd, latencyClass: request.latencyClass,
  });
  setCurrentDetails(`route ${plan.decision.route} (${plan.decision.strategy}): ${plan.decision.chain.join(' → ') || 'extractive only'}`);

  const result = await generateWithFallback(plan, {
    messages: request.messages, maxOutputTokens: request.maxOutputTokens, temperature: request.temperature, stream: request.stream,
    tags: { tenant: request.tenant, feature: request.feature, promptVersion: request.promptVersion }, grounding: request.grounding,
  });
  markExecution({ status: result.status === 'degraded' ? workflowStatuses.degraded : workflowStatuses.answered, model: result.model });
  setCurrentDetails(`answered by ${result.model} after ${result.fallbacks} fallback(s), ${result.costMicroUsd} µ$`);
  return result;
}

// How runs of this type move to a new build (contracts/worker-deployment.ts says why).
declareVersioning(generateWorkflow, workflowVersioning.generate);
