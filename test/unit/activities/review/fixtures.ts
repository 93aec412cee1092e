import type { JudgeInput } from '../../../../contracts/refinement';
import type { Citation, ScoredChunk } from '../../../../contracts/retrieval';

// Retrieved passages for a question about crash recovery, one section of examples/corpus each,
// in the order a retriever would rank them.

const chunk = (
  documentId: string, chunkIndex: number, title: string, sentences: string[], score: number,
): ScoredChunk => ({
  id: `${documentId}#${chunkIndex}`, tenant: 'acme', documentId, chunkIndex, title,
  source: `examples/corpus/${documentId}`, text: sentences.join(' '), score,
});

export const question = 'How does Sluice survive a worker crash, and how are failed activities retried?';

export const passages: ScoredChunk[] = [
  chunk('durability.md', 0, 'Why workflows survive crashes', [
    'Every Sluice pipeline runs as a Temporal workflow.',
    'The Temporal server records each step of the workflow in an event history.',
    'When a worker process crashes in the middle of an answer, the workflow is not lost: another worker, or the same '
      + 'worker after a restart, picks up the workflow task, replays the history to rebuild the workflow\'s state, and '
      + 'continues from the last completed step.',
    'Activities that were running when the worker died are retried after their timeout.',
  ], 0.91),
  chunk('durability.md', 2, 'Retries and timeouts', [
    'Each activity has an explicit start-to-close timeout and a retry policy chosen for its kind of work.',
    'Model calls heartbeat while they stream tokens, so a hung provider is detected by the heartbeat timeout rather '
      + 'than after minutes of silence.',
    'Bad input and policy violations are non-retryable failures; rate limits and server errors are retried with '
      + 'exponential backoff.',
  ], 0.84),
  chunk('durability.md', 1, 'Determinism', [
    'Workflow code must be deterministic because it is replayed.',
    'Sluice workflows never read the clock, the network or random numbers directly.',
    'All side effects, such as calling a model, searching the vector store or checking a gate, run inside activities.',
  ], 0.62),
  chunk('review.md', 0, 'Human review', [
    'Some answers need a person to approve them before they reach a user.',
    'The answer workflow then waits for a review signal with a deadline.',
    'Because the wait is a durable timer inside Temporal, a review can take days without holding any process or '
      + 'thread, and a worker restart does not lose it.',
  ], 0.4),
];

/** A citation of passages[index] under a marker, as the extractive answer writes it. */
export const citationOf = (marker: number, index: number, quote = passages[index]!.text): Citation => {
  const passage = passages[index]!;
  return {
    marker, documentId: passage.documentId, chunkIndex: passage.chunkIndex, title: passage.title,
    source: passage.source, score: passage.score, quote,
  };
};

/** A draft that quotes the first passage faithfully and covers the whole question. */
export const goodDraft = 'When a worker process crashes, another worker picks up the workflow task and replays the '
  + 'history to rebuild the workflow\'s state. [1] Activities that were running when the worker died are retried after '
  + 'their timeout; Sluice retries failed calls with exponential backoff. [1][2]';

/** A draft with one supported claim, one fabricated claim, and half the question left unanswered. */
export const weakDraft = 'Another worker replays the history to rebuild the workflow\'s state. [1] '
  + 'Sluice keeps a copy of every answer in a blockchain ledger for auditors. [2]';

export const judgeInput = (draft: string, citations: Citation[], rubric: JudgeInput['rubric'] = []): JudgeInput => ({
  tenant: 'acme', feature: 'support', question, draft, citations, passages, rubric,
});
