import { extractiveProvider, modelTaskQueue, type ModelCatalog } from '../../contracts/model-catalog';
import { routingRequestSchema, type ModelPlan, type RoutingRequest } from '../../contracts/models';
import type { Citation, ScoredChunk } from '../../contracts/retrieval';
import { invalidInput } from '../failures';
import { formatZodError } from '../../contracts/format-error';
import type { Embedder } from '../retrieval/embedder';
import { HashingEmbedder } from '../retrieval/hashing-embedder';
import { composeExtractiveAnswer } from './extractive-answer';
import { planChain, type RouteChoice } from './routing';
import { SemanticRouter } from './semantic-router';
import { loadModelCatalog } from './load-catalog';
import { countTokens } from './token-counter';

export interface GeneratedAnswer {
  text: string;
  citations: Citation[];
  model: string;
}

export interface ModelActivityDependencies {
  /** @default the catalog named by SLUICE_MODEL_CATALOG, else the offline one (extractive only) */
  modelCatalog?: ModelCatalog;
  /** Embeds queries and route examples for semantic routing. @default HashingEmbedder */
  routingEmbedder?: Embedder;
}

// Retry settings for the extractive model, which runs in-process and only fails with its worker.
const localRetry = { initialIntervalMs: 200, backoffCoefficient: 2, maximumIntervalMs: 2_000, maximumAttempts: 3 };

/** Model activities on the orchestration queue: routing and the offline extractive model. */
export function createModelActivities(dependencies: ModelActivityDependencies = {}) {
  const catalog = dependencies.modelCatalog ?? loadModelCatalog(process.env);
  const router = new SemanticRouter(catalog, dependencies.routingEmbedder ?? new HashingEmbedder());
  return {
    /** Answers a question from retrieved passages, citing them; also the last fallback. */
    async generateAnswer(input: { question: string; passages: ScoredChunk[] }): Promise<GeneratedAnswer> {
      const answer = composeExtractiveAnswer(input.question, input.passages);
      return { ...answer, model: 'extractive' };
    },

    /**
     * Chooses the route (explicit, else semantic over the route examples, else `default`) and
     * plans its chain: tokens counted per model, context window, cost ceiling and latency
     * class applied, ordered by the tier the request's complexity calls for. The decision is
     * returned so it lands in the workflow history and the result.
     */
    async planModelRoute(rawInput: RoutingRequest): Promise<ModelPlan> {
      const parsed = routingRequestSchema.safeParse(rawInput);
      if (!parsed.success) throw invalidInput(formatZodError(parsed.error));
      const request = parsed.data;
      let choice: RouteChoice;
      if (request.route !== undefined) {
        if (!catalog.routes[request.route]) throw invalidInput(`route: unknown route ${request.route}`);
        choice = { route: request.route, strategy: 'explicit' };
      } else {
        const query = [...request.messages].reverse().find((message) => message.role === 'user')?.content ?? '';
        choice = await router.choose(query);
      }
      const { decision, candidates } = planChain(catalog, choice, request, (model) =>
        countTokens(request.messages, model.tokenizer),
      );
      return {
        decision,
        extractiveByChoice: candidates[0]?.model.provider === extractiveProvider,
        candidates: candidates.map(({ model, estimatedInputTokens, estimatedOutputTokens, estimatedCostMicroUsd }) => {
          const provider = catalog.providers[model.provider];
          return {
            modelId: model.id,
            provider: model.provider,
            taskQueue: modelTaskQueue(catalog, model),
            estimatedInputTokens,
            estimatedOutputTokens,
            estimatedCostMicroUsd,
            startToCloseMs: provider?.callTimeoutMs ?? 10_000,
            ...(provider ? { scheduleToStartMs: provider.queueTimeoutMs } : {}),
            heartbeatMs: provider?.heartbeatTimeoutMs ?? 10_000,
            retry: provider?.retry ?? localRetry,
          };
        }),
      };
    },
  };
}
