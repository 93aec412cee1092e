import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { RedactionSealer } from '../../activities/gates/pii/redaction-seal';
import type { RedactionMap } from '../../activities/gates/pii/redaction';
import type { AnswerResult } from '../../contracts/answer';
import type { SealedRedactions } from '../../contracts/gates';
import type { IngestResult } from '../../contracts/ingest';
import { sluiceSearchAttributes } from '../../contracts/search-attributes';
import { workflowTypes } from '../../contracts/workflow-types';
import { startTestStack, type TestStack } from '../helpers/temporal-env';

// Two hosts with different redaction keys, folded into one worker: it seals with one key and
// opens with another, as when the input gates ran on one host and the restore on the next.

const corpus = join(__dirname, '..', '..', 'examples', 'corpus');

/** Seals with its own key, opens with another host's. */
class OtherHostSealer extends RedactionSealer {
  private readonly otherHost = new RedactionSealer(randomBytes(32));

  constructor() {
    super(randomBytes(32));
  }

  override open(sealed: SealedRedactions, binding: string): RedactionMap {
    return this.otherHost.open(sealed, binding);
  }
}

describe('answerWorkflow when the sealed redactions cannot be opened', () => {
  let stack: TestStack;
  const ask = (requestId: string, question: string) =>
    stack.execute<AnswerResult>(workflowTypes.answer, `answer-acme-${requestId}`, {
      tenant: 'acme', requestId, question,
    });

  beforeAll(async () => {
    stack = await startTestStack(() => ({ gates: { sealer: new OtherHostSealer(), audit: () => {} } }));
    const ingest = { tenant: 'acme', ingestId: 'corpus', path: corpus };
    const ingested = await stack.execute<IngestResult>(workflowTypes.ingest, 'ingest-acme-corpus', ingest);
    expect(ingested.ingestedDocuments).toBe(5);
  });

  afterAll(() => stack?.stop());

  it('does not report a clean answer: degraded, with the reason among the decisions and in SluiceStatus', async () => {
    const result = await ask(
      'sealed', 'I am jane.doe@example.com. What happens when a worker process crashes in the middle of an answer?',
    );
    expect(result.gateDecisions).toContainEqual(expect.objectContaining({ gate: 'pii', action: 'redact' }));
    expect(result.status).not.toBe('answered');
    expect(result).toMatchObject({ status: 'degraded', degraded: true });
    const restore = result.gateDecisions.find((decision) => decision.gate === 'redaction-restore');
    expect(restore).toMatchObject({ action: 'redact', unchecked: true });
    expect(restore?.reasons.join(' ')).toMatch(/RedactionRestoreFailed: sealed redactions were made with another key/);
    expect(JSON.stringify(result)).not.toContain('jane.doe@example.com');
    const attributes = (await stack.env.client.workflow.getHandle('answer-acme-sealed').describe()).searchAttributes;
    expect(attributes[sluiceSearchAttributes.status.name]).toEqual(['degraded']);
  });

  it('still answers cleanly when nothing was redacted, so there is nothing to restore', async () => {
    const result = await ask('plain', 'What happens when a worker process crashes in the middle of an answer?');
    expect(result).toMatchObject({ status: 'answered', degraded: false });
    expect(result.gateDecisions.map((decision) => decision.gate)).not.toContain('redaction-restore');
  });
});
