import type { AnswerResult } from '../../contracts/answer';
import type { IngestResult } from '../../contracts/ingest';
import { taskQueues } from '../../contracts/task-queues';
import { workflowTypes } from '../../contracts/workflow-types';
import { startTestStack, type TestStack } from '../helpers/temporal-env';
import { decodedHistoryText } from './decoded-history';
import { reviewCatalog } from './review-fixtures';

// The input PII gate redacts names in the question before retrieval, so a search with the redacted text
// looks for "[PERSON]". Inside the trust boundary (the tenant's corpus, an in-process embedder) a route
// searches with what the user asked (`retrievalQuery: 'asked'`, the default); `redacted` keeps the old way.
// The documents are built so the name decides: the other one matches every remaining word more often.

const named = [
  '# Geology of the eastern states',
  '',
  'William Maclure, a geologist, mapped the rocks of the eastern states and drew the first geological map of',
  'the United States. In his last years Maclure settled at New Harmony in Indiana and paid for a school there.',
].join('\n');
const unnamed = [
  '# Lowell mills',
  '',
  'The mill owners at Lowell paid for a school for the children of the town; the school taught reading.',
  'A second school was paid for when the first school grew too small.',
].join('\n');
const question = 'Which school did William Maclure pay for?';
// For the offline model's reading: two sentences of one passage that differ only by who paid, the other
// founder's first, so that a model reading the redacted question ("[PERSON_1]") quotes his.
const founders = [
  '# New Harmony',
  '',
  'Robert Owen paid for the village school that the first settlers used at New Harmony.',
  'William Maclure paid for the school of industry that taught trades at New Harmony.',
].join('\n');

/** Document ids the run's retrieval returned, read from its history once the step completed. */
async function retrievedDocuments(stack: TestStack, workflowId: string): Promise<string[]> {
  const handle = stack.env.client.workflow.getHandle(workflowId);
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const found = decodedHistoryText(await handle.fetchHistory()).match(/towns\/[a-z-]+/g);
    if (found) return [...new Set(found)];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${workflowId} retrieved nothing within 30 s`);
}

describe('answerWorkflow retrieval with a question the PII gate redacted', () => {
  let stack: TestStack;
  // Only the retrieval step is checked; what the extractive model and the output gates make of a passage
  // about another town (a review, maybe) is not this test's concern, so the run is ended once it is read.
  const search = async (requestId: string, route?: string) => {
    const workflowId = `answer-history-${requestId}`;
    const handle = await stack.env.client.workflow.start(workflowTypes.answer, {
      taskQueue: taskQueues.orchestration, workflowId,
      args: [{ tenant: 'history', requestId, question, topK: 1, ...(route ? { route } : {}) }],
    });
    const documents = await retrievedDocuments(stack, workflowId);
    await handle.terminate('retrieval checked').catch(() => undefined);
    return documents;
  };

  beforeAll(async () => {
    const catalog = reviewCatalog({
      routes: {
        default: { chain: ['extractive'], refine: { enabled: false } },
        strict: { chain: ['extractive'], refine: { enabled: false }, retrievalQuery: 'redacted' },
        reranked: { chain: ['extractive'], refine: { enabled: false }, rerank: true },
      },
    });
    stack = await startTestStack(() => ({ modelCatalog: catalog }));
    const ingested = await stack.execute<IngestResult>(workflowTypes.ingest, 'ingest-history-towns', {
      tenant: 'history', ingestId: 'towns',
      documents: [{ documentId: 'towns/new-harmony', text: named }, { documentId: 'towns/lowell', text: unnamed }],
    });
    expect(ingested.ingestedDocuments).toBe(2);
    const foundersIngested = await stack.execute<IngestResult>(workflowTypes.ingest, 'ingest-founders', {
      tenant: 'founders', ingestId: 'founders', documents: [{ documentId: 'towns/founders', text: founders }],
    });
    expect(foundersIngested.ingestedDocuments).toBe(1);
  });

  afterAll(() => stack?.stop());

  it('searches with the name the user asked about, while the gate still redacts it for the model', async () => {
    expect(await search('asked')).toEqual(['towns/new-harmony']);
    const history = decodedHistoryText(await stack.env.client.workflow.getHandle('answer-history-asked').fetchHistory());
    expect(history).toContain('"query":"Which school did [PERSON_1] pay for?"');
  });

  it("searches with the redacted text on a route whose retrievalQuery is 'redacted'", async () => {
    expect(await search('redacted', 'strict')).toEqual(['towns/lowell']);
  });

  it('asks the search to rerank on a route whose rerank is on, and only there', async () => {
    // The worker reranks with its local reranker when npm install put it in .tools/reranker (and searches
    // without a rerank, warning, when it did not: the activity's unit tests cover both).
    expect(await search('reranked', 'reranked')).toEqual(['towns/new-harmony']);
    const historyOf = async (workflowId: string) =>
      decodedHistoryText(await stack.env.client.workflow.getHandle(workflowId).fetchHistory());
    const reranked = await historyOf('answer-history-reranked');
    expect(reranked).toContain('"rerank":true');
    const plain = await historyOf('answer-history-asked');
    expect(plain).not.toContain('"rerank":true');
  });

  it('lets the offline model read the question as asked, inside the same boundary, and only there', async () => {
    const answer = (requestId: string, route?: string) => stack.execute<AnswerResult>(
      workflowTypes.answer, `answer-founders-${requestId}`,
      { tenant: 'founders', requestId, question, topK: 1, ...(route ? { route } : {}) },
    );
    const asked = await answer('asked');
    expect(asked.status).toBe('answered');
    expect(asked.answer).toMatch(/^William Maclure paid for the school of industry/);
    const redacted = await answer('redacted', 'strict');
    expect(redacted.answer).toMatch(/^Robert Owen paid for the village school/);
  });
});
