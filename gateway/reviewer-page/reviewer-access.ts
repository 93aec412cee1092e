import { UnknownRunError } from '../../client/errors';
import type { ReviewView } from '../../contracts/review';
import type { Principal } from '../auth/authorize';
import { NotFoundError } from '../http/errors';
import { isOwnWorkflowId } from '../http/request-input';
import type { ReviewerPageClient } from './page-context';

// Which runs a reviewer may see. A run of another tenant, outside the key's reviewer groups, or
// not in review reads exactly as one that does not exist, so the page never confirms that
// someone else's run is there.

/** True when the key may review `group`: any group when the key names none. */
export const mayReviewGroup = (principal: Principal, group: string | undefined): boolean =>
  !principal.reviewerGroups || (group !== undefined && principal.reviewerGroups.includes(group));

/** The review view of a run the reviewer may see; a NotFoundError (404) for every other id. */
export async function reviewOfOwnRun(
  client: ReviewerPageClient, principal: Principal, workflowId: string,
): Promise<ReviewView> {
  const notFound = new NotFoundError(`no run has the workflow id ${workflowId}`);
  // The tenant is part of every id: another tenant's id is refused before any lookup.
  if (!isOwnWorkflowId(workflowId, 'answer', principal.tenant)) throw notFound;
  let view: ReviewView;
  try {
    view = await client.showReview(workflowId);
  } catch (error) {
    if (error instanceof UnknownRunError) throw notFound;
    throw error;
  }
  // The run's own record must agree with its id (a run squatting an id does not).
  if (view.tenant !== principal.tenant || !mayReviewGroup(principal, view.group)) throw notFound;
  if (view.state === 'not_in_review') throw notFound;
  return view;
}
