import { UnknownRunError } from '../../client/errors';
import type { ReviewView } from '../../contracts/review';
import type { Principal } from '../auth/authorize';
import type { InboxEntry } from './pages/inbox-page';
import type { ReviewerPageClient } from './page-context';
import { mayReviewGroup } from './reviewer-access';

// The reviewer's inbox: the visibility list of runs waiting for review (per reviewer group when
// the key names some), kept to the key's tenant and groups, oldest first, each with its question
// and deadline read from the run itself.

/** Most runs an inbox shows; each costs one query to its run. */
export const inboxLimit = 50;

/** Queries sent to runs at once while filling the inbox. */
const queryConcurrency = 8;

async function mapLimited<Item, Result>(
  items: readonly Item[], limit: number, map: (item: Item) => Promise<Result>,
): Promise<Result[]> {
  const results: Result[] = new Array<Result>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < items.length; index = next++) results[index] = await map(items[index]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The runs the reviewer may decide now, oldest first. */
export async function loadInbox(client: ReviewerPageClient, principal: Principal): Promise<InboxEntry[]> {
  const groups = principal.reviewerGroups ?? [undefined];
  const listed = (await Promise.all(groups.map((group) => client.listReviews({
    tenant: principal.tenant, limit: inboxLimit, ...(group !== undefined ? { group } : {}),
  })))).flat();
  const seen = new Set<string>();
  const pending = listed
    // The list is filtered by tenant already; checked again so no other tenant's run can ever show.
    .filter((review) => review.tenant === principal.tenant && mayReviewGroup(principal, review.group))
    .filter((review) => !seen.has(review.workflowId) && seen.add(review.workflowId))
    .sort((left, right) => left.startedAt.getTime() - right.startedAt.getTime())
    .slice(0, inboxLimit);
  const entries = await mapLimited(pending, queryConcurrency, async (review): Promise<InboxEntry | undefined> => {
    const base: InboxEntry = {
      workflowId: review.workflowId, startedAt: review.startedAt, ...(review.group ? { group: review.group } : {}),
    };
    let view: ReviewView;
    try {
      view = await client.showReview(review.workflowId);
    } catch (error) {
      // Gone since it was listed: not listed. Any other failure: listed, without its details.
      return error instanceof UnknownRunError ? undefined : base;
    }
    // The list lags the runs: one decided (or escalated away) since is no longer the reviewer's.
    if (view.tenant !== principal.tenant || view.state !== 'pending' || !mayReviewGroup(principal, view.group)) {
      return undefined;
    }
    return {
      ...base, escalated: view.escalated, ...(view.group ? { group: view.group } : {}),
      ...(view.deadline ? { deadline: view.deadline } : {}), ...(view.question ? { question: view.question } : {}),
    };
  });
  return entries.filter((entry): entry is InboxEntry => entry !== undefined);
}
