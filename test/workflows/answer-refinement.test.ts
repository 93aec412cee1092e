import type { Worker } from '@temporalio/worker';
import { join } from 'node:path';
import type { AnswerResult } from '../../contracts/answer';
import type { IngestResult } from '../../contracts/ingest';
import type { Refinement } from '../../contracts/refinement';
import type { ReviewOutcome } from '../../contracts/review';
import { sluiceSearchAttributes } from '../../contracts/search-attributes';
import { taskQueues } from '../../contracts/task-queues';
import { messageNames, workflowTypes } from '../../contracts/workflow-types';
import { FakeLlmServer } from '../fakes/fake-llm-server';
import { startLlmWorker, startTestStack, type TestStack } from '../helpers/temporal-env';
import {
  activityCalls, judgePromptLine, judgeReply, quoteFirstPassage, raisingQuestion, refinementCatalog, revisePromptLine,
  type ActivityCall,
} from './refinement-fixtures';
import { waitForPendingReview } from './review-fixtures';

// The judge-and-revise loop inside real answer runs: offline (deterministic judge and reviser
// activities) and on a model route (judge and reviser are calls to a fake OpenAI server).

const corpus = join(__dirname, '..', '..', 'examples', 'corpus');
const apiKey = 'sk-test-refinement';
const question = 'What happens when a worker process crashes in the middle of an answer?';

/** The drafts a run judged, in order: the first generated one, then each offline revision. */
function offlineDrafts(calls: ActivityCall[]): string[] {
  return calls.filter((call) => call.type === 'generateAnswer' || call.type === 'reviseDraft')
    .map((call) => (call.result as { text: string }).text);
}

/** Index of the turn whose draft the loop keeps: the first with the highest score. */
const bestTurn = (refinement: Refinement): number => {
  const scores = refinement.iterations.map((turn) => turn.scores.overall);
  return scores.indexOf(Math.max(...scores));
};

describe('the refinement loop of answer runs on the real Temporal dev server', () => {
  let stack: TestStack;
  let openai: FakeLlmServer;
  let llmWorker: Worker | undefined;
  let llmRunning: Promise<void> | undefined;

  const start = (requestId: string, route: string, text = question) =>
    stack.env.client.workflow.start(workflowTypes.answer, {
      taskQueue: taskQueues.orchestration, workflowId: `answer~acme~${requestId}`,
      args: [{ tenant: 'acme', requestId, question: text, route, userId: 'dave' }],
    });
  const run = async (requestId: string, route: string, text = question) => {
    const handle = await start(requestId, route, text);
    const result: AnswerResult = await handle.result();
    return { result, refinement: result.refinement!, calls: activityCalls(await handle.fetchHistory()), handle };
  };

  beforeAll(async () => {
    openai = await FakeLlmServer.start({ apiKey });
    const catalog = refinementCatalog(openai.openAIBaseUrl, 'REFINEMENT_OPENAI_KEY');
    stack = await startTestStack(() => ({ modelCatalog: catalog }));
    llmWorker = await startLlmWorker(stack.env, {
      catalog, provider: 'openai', environment: { REFINEMENT_OPENAI_KEY: apiKey },
    });
    llmRunning = llmWorker.run();
    const ingested = await stack.execute<IngestResult>(workflowTypes.ingest, 'ingest~acme~corpus', {
      tenant: 'acme', ingestId: 'corpus', path: corpus,
    });
    expect(ingested.ingestedDocuments).toBe(5);
  });

  beforeEach(() => openai.reset());

  afterAll(async () => {
    llmWorker?.shutdown();
    await llmRunning;
    await stack?.stop();
    await openai?.close();
  });

  describe('offline: the deterministic judge and reviser activities', () => {
    it('revises a draft under the threshold until it reaches it, and releases the best draft', async () => {
      const { result, refinement, calls } = await run('raising', 'raising', raisingQuestion);
      expect(result.status).toBe('answered');
      const [first, ...later] = refinement.iterations;
      expect(first).toMatchObject({ iteration: 0, judge: 'offline', draftBy: 'extractive' });
      // The extractive draft misses the rubric's keywords; a retrieved passage has them.
      expect(first!.scores.rubric).toBe(0);
      expect(first!.scores.overall).toBeLessThan(0.95);
      expect(later.length).toBeGreaterThanOrEqual(1);
      const last = later[later.length - 1]!;
      expect(last.scores.overall).toBeGreaterThanOrEqual(0.95);
      expect(last.scores.overall).toBeGreaterThan(first!.scores.overall);
      for (const turn of later) {
        expect(turn).toMatchObject({ judge: 'offline', draftBy: expect.stringMatching(/^offline:/) });
      }
      expect(refinement).toMatchObject({
        stoppedBecause: 'threshold', finalScore: last.scores.overall,
        usage: { inputTokens: 0, outputTokens: 0 }, costMicroUsd: 0,
      });

      // Every turn is an activity with a summary naming its draft, in the loop's order.
      const loop = calls.filter((call) => call.type === 'judgeDraft' || call.type === 'reviseDraft');
      const expected = refinement.iterations.flatMap((turn) => [
        ...(turn.iteration > 0 ? [{ type: 'reviseDraft', summary: `revise draft ${turn.iteration}` }] : []),
        { type: 'judgeDraft', summary: `judge draft ${turn.iteration}` },
      ]);
      expect(loop.map(({ type, summary }) => ({ type, summary }))).toEqual(expected);
      const drafts = offlineDrafts(calls);
      expect(drafts).toHaveLength(refinement.iterations.length);
      expect(result.answer).toBe(drafts[bestTurn(refinement)]);
      expect(result.answer).not.toBe(drafts[0]);
      expect(result.answer.toLowerCase()).toContain('exponential backoff');
      // The released citations are the revision's, by passage position.
      expect(result.citations.length).toBeGreaterThan(0);
      for (const marker of result.answer.matchAll(/\[(\d+)\]/g)) {
        expect(result.citations.map((citation) => citation.marker)).toContain(Number(marker[1]));
      }
    });

    it('stops at the iteration cap when the threshold is out of reach', async () => {
      const { result, refinement, calls } = await run('capped', 'capped', raisingQuestion);
      expect(result.status).toBe('answered');
      expect(refinement.stoppedBecause).toBe('max_iterations');
      expect(refinement.iterations.map((turn) => turn.iteration)).toEqual([0, 1]);
      expect(calls.filter((call) => call.type === 'judgeDraft').map((call) => call.summary))
        .toEqual(['judge draft 0', 'judge draft 1']);
      expect(calls.filter((call) => call.type === 'reviseDraft').map((call) => call.summary))
        .toEqual(['revise draft 1']);
      const scores = refinement.iterations.map((turn) => turn.scores.overall);
      expect(refinement.finalScore).toBe(Math.max(...scores));
      expect(result.answer).toBe(offlineDrafts(calls)[bestTurn(refinement)]);
    });

    it('stops, without judging it again, when a revision returns the draft unchanged', async () => {
      const { result, refinement, calls } = await run('exhausted', 'exhausted');
      expect(result.status).toBe('answered');
      expect(refinement.stoppedBecause).toBe('unchanged');
      const judged = calls.filter((call) => call.type === 'judgeDraft').length;
      const revised = calls.filter((call) => call.type === 'reviseDraft').length;
      // Every revision but the last changed the draft and was judged; the last returned its input.
      expect(judged).toBe(refinement.iterations.length);
      expect(revised).toBe(judged);
      expect(judged).toBeLessThan(6);
    });

    it('sends a draft the loop could not raise above the review threshold to review, then releases it', async () => {
      const handle = await start('low-score', 'low-score', raisingQuestion);
      const view = await waitForPendingReview(handle);
      const reason = /^judge score (\d(?:\.\d+)?) is below the route's review threshold 0\.95$/;
      const scoreReasons = view.reasons.filter((line) => reason.test(line));
      expect(scoreReasons).toHaveLength(1);
      expect(view.group).toBe('support');
      const attributes = (await handle.describe()).searchAttributes;
      expect(attributes[sluiceSearchAttributes.status.name]).toEqual(['pending_review']);

      const outcome = await handle.executeUpdate(messageNames.reviewDecisionUpdate, {
        args: [{ decision: 'approve', reviewer: 'alice' }],
      }) as ReviewOutcome;
      expect(outcome.record).toMatchObject({ decision: 'approve', reviewer: 'alice', group: 'support' });
      const result: AnswerResult = await handle.result();
      expect(result.status).toBe('answered');
      expect(result.answer).toBe(view.draft);
      const refinement = result.refinement!;
      expect(refinement.stoppedBecause).toBe('max_iterations');
      expect(Number(reason.exec(scoreReasons[0]!)![1])).toBe(refinement.finalScore);
      expect(refinement.finalScore).toBeLessThan(0.95);
      // The revision scored higher than the first draft, so the reviewer's scores are the last turn's, not the first's.
      const [first, last] = refinement.iterations;
      expect(last!.scores.overall).toBeGreaterThan(first!.scores.overall);
      expect(refinement.finalScore).toBe(last!.scores.overall);
      expect(view.judge).toEqual(last!.scores);
    });
  });

  describe('a model route: judge and reviser are calls to the routed model', () => {
    const weak = (userMessage: string) => quoteFirstPassage(userMessage, 1);
    const better = (userMessage: string) => quoteFirstPassage(userMessage, 3);
    const critique = ['say how the workflow goes on after the crash'];

    it('judges, revises from the critique and judges again, releasing the revised draft', async () => {
      const seen: string[] = [];
      openai.setReply((_model, userMessage) => {
        seen.push(userMessage);
        if (userMessage.includes(judgePromptLine)) {
          // The revision quotes more of passage [1] than the first draft: score it above the threshold.
          return userMessage.includes(better(userMessage)) ? judgeReply(1, 0.9, 1) : judgeReply(0.5, 0.4, 1, critique);
        }
        return userMessage.includes(revisePromptLine) ? better(userMessage) : weak(userMessage);
      });
      const { result, refinement, calls, handle } = await run('model-judged', 'model-judged');
      expect(result).toMatchObject({ status: 'answered', model: 'gpt-mini' });
      expect(refinement.iterations).toEqual([
        expect.objectContaining({ iteration: 0, judge: 'gpt-mini', draftBy: 'gpt-mini', critique }),
        expect.objectContaining({ iteration: 1, judge: 'gpt-mini', draftBy: 'gpt-mini', critique: [] }),
      ]);
      expect(refinement.iterations.map((turn) => turn.scores.overall)).toEqual([0.57, 0.97]);
      expect(refinement).toMatchObject({ stoppedBecause: 'threshold', finalScore: 0.97 });
      // grounded prompt → judge → revise (reading the critique) → judge
      expect(seen).toHaveLength(4);
      expect(seen.map((message) => message.includes(judgePromptLine))).toEqual([false, true, false, true]);
      expect(seen[2]).toContain(revisePromptLine);
      expect(seen[2]).toContain(`- ${critique[0]}`);
      expect(result.answer).toBe(better(seen[2]!));
      expect(result.answer).not.toBe(weak(seen[0]!));
      expect(result.citations.map((citation) => citation.marker)).toEqual([1]);
      // No offline judge or reviser ran: the model's verdicts were readable.
      expect(calls.some((call) => call.type === 'judgeDraft' || call.type === 'reviseDraft')).toBe(false);

      expect(refinement.usage.inputTokens).toBeGreaterThan(0);
      expect(refinement.usage.outputTokens).toBeGreaterThan(0);
      expect(refinement.costMicroUsd).toBeGreaterThan(0);
      const cost = (await handle.describe()).searchAttributes[sluiceSearchAttributes.costMicroUsd.name];
      expect(cost).toEqual([result.generation!.costMicroUsd + refinement.costMicroUsd]);
    });

    it('runs the output gates on the revised draft it releases', async () => {
      const leak = ' Write to ops-team@example.org for the incident log.';
      openai.setReply((_model, userMessage) => {
        if (userMessage.includes(judgePromptLine)) {
          return userMessage.includes('ops-team@') ? judgeReply(1, 0.9, 1) : judgeReply(0.5, 0.4, 1, critique);
        }
        return userMessage.includes(revisePromptLine) ? `${better(userMessage)}${leak}` : weak(userMessage);
      });
      const { result, refinement } = await run('model-judged-leak', 'model-judged');
      expect(refinement.iterations.map((turn) => turn.scores.overall)).toEqual([0.57, 0.97]);
      expect(result.answer).not.toContain('ops-team@example.org');
      expect(result.answer).toContain('Write to [REDACTED EMAIL]');
      expect(result.gateDecisions).toContainEqual(expect.objectContaining({ gate: 'pii-leak', action: 'redact' }));
    });

    it('keeps the best draft when the revisions score lower than the draft they revised', async () => {
      const seen: string[] = [];
      openai.setReply((_model, userMessage) => {
        seen.push(userMessage);
        if (userMessage.includes(judgePromptLine)) {
          // The first draft scores 0.72, its revision 0.52: both under the threshold.
          const revised = userMessage.includes(better(userMessage));
          return revised ? judgeReply(0.4, 0.4, 1, critique) : judgeReply(1, 0.4, 0.5, critique);
        }
        return userMessage.includes(revisePromptLine) ? better(userMessage) : weak(userMessage);
      });
      const { result, refinement } = await run('model-regressing', 'model-judged');
      // The second revision returns the first one's text, so the loop stops rather than judge it again.
      expect(refinement.iterations.map((turn) => turn.scores.overall)).toEqual([0.72, 0.52]);
      expect(refinement).toMatchObject({ stoppedBecause: 'unchanged', finalScore: 0.72 });
      expect(result.answer).toBe(weak(seen[0]!));
    });

    it('shows a reviewer the scores of the draft under review, not of a worse later one', async () => {
      openai.setReply((_model, userMessage) => {
        if (userMessage.includes(judgePromptLine)) {
          const revised = userMessage.includes(better(userMessage));
          return revised ? judgeReply(0.4, 0.4, 1, critique) : judgeReply(1, 0.4, 0.5, critique);
        }
        return userMessage.includes(revisePromptLine) ? better(userMessage) : weak(userMessage);
      });
      const handle = await start('model-regressing-review', 'model-reviewed', raisingQuestion);
      const view = await waitForPendingReview(handle);
      expect(view.judge?.overall).toBe(0.72);
      expect(view.reasons).toContain("judge score 0.72 is below the route's review threshold 0.9");
      await handle.executeUpdate(messageNames.reviewDecisionUpdate, {
        args: [{ decision: 'reject', reviewer: 'bob', reason: 'weak' }],
      });
      expect((await handle.result() as AnswerResult).status).toBe('rejected');
    });

    it('falls back to the offline judge when the model\'s verdict is unreadable', async () => {
      openai.setReply((_model, userMessage) =>
        (userMessage.includes(judgePromptLine) ? 'Looks good to me!' : weak(userMessage)));
      const { result, refinement, calls } = await run('model-unreadable', 'model-judged');
      expect(result.status).toBe('answered');
      expect(refinement.iterations[0]).toMatchObject({ judge: 'offline', draftBy: 'gpt-mini' });
      expect(calls.filter((call) => call.type === 'judgeDraft')[0]?.summary).toBe('judge draft 0');
      // The unreadable call was still paid for.
      expect(refinement.costMicroUsd).toBeGreaterThan(0);
    });

    it.each([
      ['tokens', 'model-token-budget'],
      ['cost', 'model-cost-budget'],
    ])('stops after the first judgement once the judge has spent the route\'s %s budget', async (_budget, route) => {
      const seen: string[] = [];
      openai.setReply((_model, userMessage) => {
        seen.push(userMessage);
        return userMessage.includes(judgePromptLine) ? judgeReply(0.5, 0.4, 1, critique) : weak(userMessage);
      });
      const { result, refinement } = await run(route, route);
      expect(result.status).toBe('answered');
      expect(refinement.iterations).toHaveLength(1);
      expect(refinement.iterations[0]).toMatchObject({ judge: 'gpt-mini', scores: { overall: 0.57 } });
      expect(refinement.stoppedBecause).toBe('budget');
      // The grounded prompt and one judgement; no revision was asked for.
      expect(seen.map((message) => message.includes(judgePromptLine))).toEqual([false, true]);
      expect(refinement.usage.inputTokens + refinement.usage.outputTokens).toBeGreaterThan(0);
      expect(refinement.costMicroUsd).toBeGreaterThan(0);
      expect(result.answer).toBe(weak(seen[0]!));
    });
  });
});
