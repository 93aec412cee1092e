import type { AskOutcome } from '../sluice-client';
import { formatReviewRecord } from './print-review';

/**
 * Human-readable answer: text, citations, and where to inspect the execution. `uiLink: false`
 * leaves out the Web UI link, for servers that will be gone by the time anyone clicks it.
 */
export function formatAnswer(outcome: AskOutcome, options: { uiLink?: boolean } = {}): string {
  const { result } = outcome;
  const lines = [result.answer, ''];
  if (result.citations.length) {
    lines.push('Citations:');
    for (const citation of result.citations) {
      lines.push(`  [${citation.marker}] ${citation.source} — ${citation.title} ` +
        `(chunk ${citation.chunkIndex}, score ${citation.score.toFixed(3)})`);
    }
    lines.push('');
  }
  const flagged = result.gateDecisions.filter((decision) => decision.action !== 'allow');
  for (const decision of flagged) {
    lines.push(`Gate ${decision.gate}: ${decision.action} (${decision.reasons.join('; ')})`);
  }
  lines.push(`status: ${result.status}   model: ${result.model}${result.degraded ? ' (degraded)' : ''}`);
  const generation = result.generation;
  if (generation) {
    const failed = generation.attempts
      .filter((attempt) => attempt.outcome === 'failed')
      .map((attempt) => `${attempt.modelId} (${attempt.errorType ?? 'failed'})`);
    lines.push(`tokens: ${generation.usage.inputTokens} in / ${generation.usage.outputTokens} out   ` +
      `cost: ${generation.costMicroUsd} µ$   prompt: ${generation.promptVersion}` +
      `${failed.length ? `   fell back from: ${failed.join(', ')}` : ''}`);
  }
  if (result.cache) {
    const { hit, score, cachedQuestion, savedTokens } = result.cache;
    lines.push(
      `cache: ${hit} hit (score ${score.toFixed(3)}) of "${cachedQuestion}"; ${savedTokens} tokens not paid again`,
    );
  }
  if (result.refinement) {
    const { iterations, finalScore, stoppedBecause } = result.refinement;
    lines.push(`refinement: ${iterations.length} judgement(s), score ${finalScore} (stopped: ${stoppedBecause})`);
  }
  if (result.review) {
    lines.push(`review: ${formatReviewRecord(result.review)}`);
  }
  if (result.pinned) {
    const { promptId, promptVersion, variant, route } = result.pinned;
    lines.push(`pinned: ${promptId}@${promptVersion}   variant: ${variant}   route: ${route}`);
  }
  lines.push(`workflow: ${outcome.workflowId}`);
  if (options.uiLink ?? true) lines.push(`inspect: ${outcome.uiUrl}`);
  return lines.join('\n');
}
