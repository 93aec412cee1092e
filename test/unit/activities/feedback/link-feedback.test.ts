import { linkFromResult } from '../../../../activities/feedback/link-feedback';
import type { AnswerResult } from '../../../../contracts/answer';

const answered: AnswerResult = {
  status: 'answered', answer: 'It replays [1].', citations: [], gateDecisions: [], model: 'gpt-mini', degraded: false,
  generation: {
    routing: {
      route: 'support', strategy: 'semantic', complexity: 0.2, tier: 'small', excluded: [], chain: ['gpt-mini'],
    },
    attempts: [], fallbacks: 0, usage: { inputTokens: 10, outputTokens: 5 }, costMicroUsd: 3,
    promptVersion: 'grounded-v1',
  },
};

describe('linkFromResult', () => {
  it('links to what the run was pinned to when it was', () => {
    const pinned = {
      promptId: 'support-answer', promptVersion: 'v3', variant: 'treatment', experiment: 'tone', route: 'premium',
      gatePolicyVersion: 'g1', catalogVersion: 'c1',
    };
    expect(linkFromResult('run-1', { ...answered, pinned })).toEqual({
      runId: 'run-1', status: 'answered', promptId: 'support-answer', promptVersion: 'v3', variant: 'treatment',
      model: 'gpt-mini', route: 'premium',
    });
  });

  it('reads runs older than pinning from their generation', () => {
    expect(linkFromResult('run-2', answered)).toEqual({
      runId: 'run-2', status: 'answered', promptId: 'grounded-answer', promptVersion: 'grounded-v1', variant: 'default',
      model: 'gpt-mini', route: 'support',
    });
  });

  it('still links a run where no model ran', () => {
    const blocked: AnswerResult = { ...answered, status: 'blocked', model: 'none', generation: undefined };
    expect(linkFromResult('run-3', blocked))
      .toMatchObject({ promptVersion: 'unknown', route: 'default', model: 'none' });
  });
});
