import { join } from 'node:path';
import { formatPendingReviews } from '../../client/cli/print-review';
import type { PendingReview } from '../../client/review-client';
import type { Submission } from '../../client/sluice-client';
import { FeedbackStore } from '../../activities/feedback/feedback-store';
import type { IngestResult } from '../../contracts/ingest';
import { workflowIds, workflowTypes } from '../../contracts/workflow-types';
import { runSluice, type CliOutcome } from '../helpers/sluice-cli';
import { freshDataDir, startTestStack, type TestStack } from '../helpers/temporal-env';
import { reviewCatalog, waitForPendingReview } from '../workflows/review-fixtures';

const corpus = join(__dirname, '..', '..', 'examples', 'corpus');
const question = 'What happens to the workflow when a worker process crashes?';

describe('reviewing and rating answers with the sluice CLI', () => {
  let stack: TestStack;
  let feedbackStore: FeedbackStore;
  const sluice = (args: string[]): Promise<CliOutcome> =>
    runSluice(args, { address: stack.env.address, tenant: 'cli' });
  /** The one line of an error, after checking its exit code (client/cli/exit-codes.ts). */
  const oneLine = (outcome: CliOutcome, exitCode: number) => {
    expect(outcome.code).toBe(exitCode);
    expect(outcome.stderr).not.toMatch(/\n\s+at /);
    return outcome.stderr.trim();
  };

  beforeAll(async () => {
    feedbackStore = await FeedbackStore.open(freshDataDir());
    stack = await startTestStack((env) => ({
      modelCatalog: reviewCatalog(), feedbackStore, gates: { client: env.client },
    }));
    const ingested = await stack.execute<IngestResult>(workflowTypes.ingest, workflowIds.ingest('cli', 'corpus'), {
      tenant: 'cli', ingestId: 'corpus', path: corpus,
    });
    expect(ingested.ingestedDocuments).toBe(5);
  });

  afterAll(async () => {
    await stack?.stop();
    await feedbackStore?.close();
  });

  it('asks, lists, shows and decides a run waiting for review, refusing what it must not take', async () => {
    const ask = await sluice(['ask', '--route', 'reviewed', '--user', 'dave', '--request-id', 'r1', question]);
    expect(ask.code).toBe(5);
    expect(ask.stdout).toBe('');
    const workflowId = workflowIds.answer('cli', 'r1');
    expect(ask.stderr).toContain(`${workflowId} is waiting for review by support until `);
    expect(ask.stderr).toContain(`sluice review approve ${workflowId} --reviewer <id>`);
    const askedAgain = await sluice(['ask', '--route', 'reviewed', '--request-id', 'r1', '--json', question]);
    expect(askedAgain.code).toBe(5);
    const pending = JSON.parse(askedAgain.stdout) as Submission;
    expect(pending).toMatchObject({ workflowId, pendingReview: { state: 'pending', group: 'support' } });

    let list = await sluice(['review', 'list', '-t', 'cli', '--group', 'support']);
    for (let tries = 0; !list.stdout.includes(workflowId) && tries < 30; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      list = await sluice(['review', 'list', '-t', 'cli', '--group', 'support']);
    }
    expect(list.stdout).toMatch(/^WORKFLOW ID\s+TENANT\s+GROUP/);
    expect(list.stdout).toContain(workflowId);
    expect((await sluice(['review', 'list', '--group', 'leads'])).stdout.trim()).toBe('no run is waiting for review');
    const listed = await sluice(['review', 'list', '-t', 'cli', '--group', 'support', '--json']);
    expect(listed.code).toBe(0);
    const { reviews } = JSON.parse(listed.stdout) as { reviews: Array<PendingReview & { startedAt: string }> };
    expect(reviews.map((review) => review.workflowId)).toContain(workflowId);
    const asText = reviews.map((review) => ({ ...review, startedAt: new Date(review.startedAt) }));
    expect(`${formatPendingReviews(asText)}\n`).toBe(list.stdout);

    const show = await sluice(['review', 'show', workflowId]);
    expect(show.stdout).toContain(`${workflowId}: pending (group support)`);
    expect(show.stdout).toContain('why: route reviewed sends every answer to review');
    expect(show.stdout).toMatch(/Draft:\n\s+.*\[1\]/);
    expect(show.stdout).toMatch(/\[1\] durability\.md/);

    expect(oneLine(await sluice(['review', 'approve', workflowId, '--reviewer', 'dave']), 4))
      .toBe(`sluice: ${workflowId}: a requester may not decide their own request`);
    expect(oneLine(await sluice(['review', 'reject', workflowId, '--reviewer', 'alice']), 2))
      .toBe('sluice: reject needs --note <reason>');
    expect(oneLine(await sluice(['review', 'edit', workflowId, '--reviewer', 'alice']), 2))
      .toBe('sluice: edit needs exactly one of --text <answer> or --file <path>');
    expect(oneLine(await sluice(['review', 'show', 'answer~cli~nope']), 3))
      .toBe('sluice: no run has the workflow id answer~cli~nope');

    const approve = await sluice(['review', 'approve', workflowId, '--reviewer', 'alice', '--note', 'checked']);
    expect(approve.stdout.trim()).toBe(`${workflowId}: approve by alice — released`);
    expect(oneLine(await sluice(['review', 'approve', workflowId, '--reviewer', 'bob']), 4))
      .toMatch(/has finished|already decided/);
  });

  it('waits for the decision with --wait, then rates the answer and reports by variant', async () => {
    // Decided only once the CLI says it waits: decided sooner, `ask` would find the answer already final.
    let stderrSoFar = '';
    let noticed: () => void = () => undefined;
    const waitingNoticed = new Promise<void>((resolve) => { noticed = resolve; });
    const askArgs = ['ask', '--route', 'reviewed', '--user', 'dave', '--request-id', 'r2', '--wait', question];
    const waiting = runSluice(askArgs, {
      address: stack.env.address, tenant: 'cli',
      onStderr: (chunk) => {
        stderrSoFar += chunk;
        if (stderrSoFar.includes('waiting for the decision')) noticed();
      },
    });
    const workflowId = workflowIds.answer('cli', 'r2');
    await waitForPendingReview(stack.env.client.workflow.getHandle(workflowId));
    await Promise.race([waitingNoticed, waiting]);
    const decided = await sluice(['review', 'approve', workflowId, '--reviewer', 'bob']);
    expect(decided.code).toBe(0);
    const answered = await waiting;
    expect(answered.code).toBe(0);
    expect(answered.stderr).toContain('waiting for the decision');
    expect(answered.stdout).toContain('review: approve by bob');
    expect(answered.stdout).toContain('pinned: grounded-answer@grounded-v1   variant: default   route: reviewed');

    const rated = await sluice(['feedback', workflowId, 'up', '--comment', 'clear', '--user', 'dave']);
    expect(rated.code).toBe(0);
    const report = await sluice(['feedback', 'report']);
    expect(report.stdout).toMatch(/grounded-answer\s+grounded-v1\s+default\s+1\s+0\s+100/);
    expect(oneLine(await sluice(['feedback', 'answer~cli~nope', 'down']), 3)).toMatch(/^sluice: .*answer~cli~nope/);
  });
});
