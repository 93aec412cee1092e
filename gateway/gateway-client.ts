import type { SluiceClient } from '../client/sluice-client';

// The part of SluiceClient the gateway calls: narrow, so tests pass a fake and the routes cannot
// reach anything else (search-attribute setup, feedback reports and prompt rollouts stay with operators' tools).

/** What the gateway needs of a Sluice client. */
export type GatewayClient = Pick<
  SluiceClient,
  | 'submit' | 'startAnswer' | 'askStream' | 'answerStatus' | 'startIngest' | 'ingestStatus'
  | 'listReviews' | 'showReview' | 'decideReview' | 'recordFeedback' | 'showBudget' | 'setBudget' | 'deleteDocuments'
  | 'ping'
>;
