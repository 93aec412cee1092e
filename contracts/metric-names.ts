// Sluice's own metrics, defined once: activities and workflows record them through the Temporal SDK's
// metric meter, so they leave by the same Prometheus (or OTLP) exporter as the runtime's `temporal_*` ones.
// The README's metrics table is checked against this list. `tenant` is a label only on metrics whose
// other labels are few (answers, tokens, cost): tenants × models stays small, tenants × gates × actions
// would not.

export interface MetricDefinition {
  name: string;
  kind: 'counter' | 'histogram' | 'gauge';
  unit: string;
  labels: readonly string[];
  description: string;
}

export const sluiceMetrics = {
  answers: {
    name: 'sluice_answers', kind: 'counter', unit: 'answers', labels: ['tenant', 'status', 'cache'],
    description: 'Answer runs finished, by status (answered, degraded, blocked, rejected, no_context) and cache use',
  },
  modelTokens: {
    name: 'sluice_model_tokens', kind: 'counter', unit: 'tokens', labels: ['tenant', 'provider', 'model', 'direction'],
    description: 'Tokens paid for by model calls, input and output',
  },
  modelCost: {
    name: 'sluice_model_cost_microusd', kind: 'counter', unit: 'micro-USD', labels: ['tenant', 'provider', 'model'],
    description: 'Cost of model calls in millionths of a US dollar',
  },
  modelFallbacks: {
    name: 'sluice_model_fallbacks', kind: 'counter', unit: 'fallbacks', labels: ['answered_by'],
    description: 'Planned models skipped because they failed finally, by the model that answered in the end',
  },
  gateDecisions: {
    name: 'sluice_gate_decisions', kind: 'counter', unit: 'decisions', labels: ['stage', 'gate', 'action'],
    description: 'Gate decisions (allow, redact, block, review) by stage and gate',
  },
  breakerState: {
    name: 'sluice_circuit_breaker_state', kind: 'gauge', unit: 'state', labels: ['provider'],
    description: 'Circuit breaker per provider and worker: 0 closed, 1 half-open, 2 open',
  },
  reviewWait: {
    name: 'sluice_review_wait_ms', kind: 'histogram', unit: 'ms', labels: ['decision'],
    description: 'Time a run waited for its reviewer, by the decision that ended the wait',
  },
  cacheLookups: {
    name: 'sluice_answer_cache_lookups', kind: 'counter', unit: 'lookups', labels: ['result'],
    description: 'Answer cache lookups by result: exact, semantic or miss',
  },
} as const satisfies Record<string, MetricDefinition>;
