// Fixed replies of the answer pipeline. They say what happened, not why, so gates can't be probed.

/** Reply for a blocked request or answer. */
export const blockedAnswer = 'This request was blocked by a safety policy.';
/** Reply when a gate asks for a person to look first. */
export const reviewRequiredAnswer = 'This answer needs a review before it can be shown.';
/** Reply when retrieval finds nothing to answer from. */
export const noContextAnswer = 'No ingested document answers this question.';
/** Reply when a reviewer, or the review deadline, rejected the answer. */
export const rejectedAnswer = 'This answer was not approved for release.';
