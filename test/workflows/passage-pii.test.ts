import type { AnswerResult } from '../../contracts/answer';
import { GateConfig } from '../../contracts/gate-config';
import type { IngestResult } from '../../contracts/ingest';
import { workflowTypes } from '../../contracts/workflow-types';
import { startTestStack, type TestStack } from '../helpers/temporal-env';
import { decodedHistoryText } from './decoded-history';
import { reviewCatalog } from './review-fixtures';

// A document's own PII (an invoice with a card number and an SSN) must not reach the caller,
// the model or history through retrieved passages and citation quotes, unless the route keeps
// passages whole because its models and callers are inside the documents' trust boundary.

const ssn = '219-09-9999';
const card = '4111 1111 1111 1111';
const invoice = [
  '# Invoice 7731 refund',
  '',
  `The refund for invoice 7731 was paid to the card ${card} on file for the customer, whose SSN ${ssn} ` +
    'was checked by the billing team before the refund of forty dollars was approved.',
].join('\n');
const question = 'Which card was the refund for invoice 7731 paid to, and who checked it?';
// A tenant's published contact is in its documents so that answers can give it.
const refunds = '# Refunds\n\nTo request a refund, email billing@acme.example with your invoice number and the reason.';
const gateConfig = new GateConfig({
  overrides: [{ tenant: 'published', gates: { output: { piiLeak: { publicValues: ['@acme.example'] } } } }],
});

describe('answerWorkflow with PII inside retrieved documents', () => {
  let stack: TestStack;
  const ask = (requestId: string, route?: string) =>
    stack.execute<AnswerResult>(workflowTypes.answer, `answer-billing-${requestId}`, {
      tenant: 'billing', requestId, question, ...(route ? { route } : {}),
    });

  beforeAll(async () => {
    const catalog = reviewCatalog({
      routes: {
        default: { chain: ['extractive'], refine: { enabled: false } },
        trusted: { chain: ['extractive'], refine: { enabled: false }, passagePii: 'keep' },
      },
    });
    stack = await startTestStack(() => ({ modelCatalog: catalog, gates: { config: gateConfig } }));
    for (const tenant of ['billing', 'published']) {
      const ingested = await stack.execute<IngestResult>(workflowTypes.ingest, `ingest-${tenant}-invoice`, {
        tenant, ingestId: 'invoice', documents: [
          { documentId: 'invoices/7731', text: invoice }, { documentId: 'help/refunds', text: refunds },
        ],
      });
      expect(ingested.ingestedDocuments).toBe(2);
    }
  });

  afterAll(() => stack?.stop());

  it('redacts them in passages, so neither citations nor history carry the values', async () => {
    const result = await ask('redacted');
    expect(result.status).toBe('answered');
    expect(result.citations.length).toBeGreaterThan(0);
    expect(result.citations.map((citation) => citation.quote).join(' ')).toContain('[REDACTED CREDIT_CARD]');
    expect(result.gateDecisions).toContainEqual(expect.objectContaining({
      gate: 'passage-pii', action: 'redact',
      reasons: expect.arrayContaining([expect.stringMatching(/1 US_SSN/), expect.stringMatching(/1 CREDIT_CARD/)]),
    }));
    const everything = JSON.stringify(result);
    expect(everything).not.toContain(ssn);
    expect(everything).not.toContain(card);
    const history = decodedHistoryText(
      await stack.env.client.workflow.getHandle('answer-billing-redacted').fetchHistory(),
    );
    expect(history).toContain('[REDACTED US_SSN]');
    expect(history).not.toContain(ssn);
    expect(history).not.toContain(card);
  });

  it("keeps passages whole on a route whose passagePii is 'keep'", async () => {
    const result = await ask('trusted', 'trusted');
    expect(result.status).toBe('answered');
    expect(result.gateDecisions.map((decision) => decision.gate)).not.toContain('passage-pii');
    const history = decodedHistoryText(
      await stack.env.client.workflow.getHandle('answer-billing-trusted').fetchHistory(),
    );
    expect(history).toContain(ssn);
  });

  it("leaves the tenant's published contacts in passages and answers, and redacts them for other tenants", async () => {
    const askRefund = (tenant: string) => stack.execute<AnswerResult>(workflowTypes.answer, `answer-${tenant}-refund`, {
      tenant, requestId: `${tenant}-refund`, question: 'How do I request a refund?',
    });
    const published = await askRefund('published');
    expect(published.answer).toContain('email billing@acme.example with your invoice number');
    expect(published.gateDecisions).toContainEqual(expect.objectContaining({ gate: 'pii-leak', action: 'allow' }));
    const other = await askRefund('billing');
    expect(other.answer).toContain('email [REDACTED EMAIL] with your invoice number');
    expect(JSON.stringify(other)).not.toContain('billing@acme.example');
  });
});
