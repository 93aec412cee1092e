// Task-queue names, defined once. Workers poll them; workflows and clients route to them.
export const taskQueues = {
  /** Workflows plus cheap activities: gates, retrieval, cache, prompts, cost. */
  orchestration: 'sluice-orchestration',
} as const;

/** Queue for an external LLM provider, e.g. `sluice-llm-openai`. */
export const llmTaskQueue = (provider: string): string => `sluice-llm-${provider}`;

/** Queue for a self-hosted model served on GPU hosts, e.g. `sluice-gpu-llama-3-8b`. */
export const gpuTaskQueue = (model: string): string => `sluice-gpu-${model}`;
