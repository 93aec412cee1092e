import type { WorkflowHandle } from '@temporalio/client';
import { parseModelCatalog } from '../../activities/models/load-catalog';
import type { ModelCatalog, ModelCatalogInput } from '../../contracts/model-catalog';
import { reviewViewSchema, type ReviewView } from '../../contracts/review';
import { messageNames } from '../../contracts/workflow-types';

/**
 * An offline catalog with review routes: `reviewed` always waits for group `support` (alice,
 * bob) for an hour, then auto-rejects; `escalating` hands over to `leads` (carol) for two more.
 */
export function reviewCatalog(extra: Partial<ModelCatalogInput> = {}): ModelCatalog {
  return parseModelCatalog({
    models: [
      { id: 'extractive', provider: 'extractive', tier: 'small', contextWindow: 1_000_000, latencyClass: 'fast' },
    ],
    reviewGroups: { reviewers: ['*'], support: ['alice', 'bob'], leads: ['carol'] },
    routes: {
      default: { chain: ['extractive'] },
      reviewed: {
        chain: ['extractive'], review: { group: 'support', always: true, deadline: '1h' }, refine: { enabled: false },
      },
      escalating: {
        chain: ['extractive'], refine: { enabled: false },
        review: {
          group: 'support', always: true, deadline: '1h',
          onDeadline: { action: 'escalate', group: 'leads', deadline: '2h' },
        },
      },
    },
    ...extra,
  });
}

/**
 * The run's review view once it waits for a decision (queries are answered from the run's
 * state), or once `ready` holds, e.g. after an escalation.
 */
export async function waitForPendingReview(
  handle: WorkflowHandle, timeoutMs = 20_000, ready: (view: ReviewView) => boolean = () => true,
): Promise<ReviewView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const view = reviewViewSchema.parse(await handle.query(messageNames.reviewStateQuery));
      if (view.state === 'pending' && ready(view)) return view;
    } catch (error) {
      // The first workflow task may not have run yet.
      if (Date.now() > until) throw error;
    }
    if (Date.now() > until) throw new Error(`${handle.workflowId} did not reach pending review`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
