import { join } from 'node:path';
import { loadPromptLibrary } from '../../activities/prompts/prompt-library';
import type { AnswerResult } from '../../contracts/answer';
import type { IngestResult } from '../../contracts/ingest';
import { assignVariant } from '../../contracts/prompts';
import { sluiceSearchAttributes } from '../../contracts/search-attributes';
import { workflowIds, workflowTypes } from '../../contracts/workflow-types';
import { startTestStack, type TestStack } from '../helpers/temporal-env';
import { experimentVariants as variants, promptsWithExperiment } from './prompt-fixtures';

const corpus = join(__dirname, '..', '..', 'examples', 'corpus');
const question = 'What happens when a worker process crashes in the middle of an answer?';

describe('A/B experiments over prompt versions', () => {
  let stack: TestStack;
  const ask = (requestId: string, extra: Record<string, unknown> = {}) => stack.execute<AnswerResult>(
    workflowTypes.answer, workflowIds.answer(String(extra.tenant ?? 'acme'), requestId),
    { tenant: 'acme', requestId, question, ...extra },
  );

  beforeAll(async () => {
    stack = await startTestStack(() => ({ prompts: loadPromptLibrary(promptsWithExperiment()) }));
    for (const tenant of ['acme', 'globex']) {
      const ingested = await stack.execute<IngestResult>(workflowTypes.ingest, workflowIds.ingest(tenant, 'corpus'), {
        tenant, ingestId: 'corpus', path: corpus,
      });
      expect(ingested.ingestedDocuments).toBe(5);
    }
  });

  afterAll(() => stack?.stop());

  it('gives each user the variant a stable hash assigns, on every request', async () => {
    const users = ['ana', 'ben', 'chen', 'dara', 'eli', 'fay'];
    const seen = new Set<string>();
    for (const user of users) {
      const expected = assignVariant('tone-2026', user, variants);
      for (const request of [1, 2]) {
        const result = await ask(`${user}-${request}`, { userId: user });
        expect(result.pinned).toMatchObject({
          experiment: 'tone-2026', variant: expected.name, promptVersion: expected.version,
        });
        expect(result.generation?.promptVersion).toBe(expected.version);
        seen.add(result.pinned!.variant);
      }
    }
    // Both variants are in use (the hash splits these six users), so variants can be compared.
    expect([...seen].sort()).toEqual(['concise', 'control']);
    const description = await stack.env.client.workflow.getHandle(workflowIds.answer('acme', 'ana-1')).describe();
    const expected = assignVariant('tone-2026', 'ana', variants);
    expect(description.searchAttributes[sluiceSearchAttributes.variant.name]).toEqual([expected.name]);
    expect(description.searchAttributes[sluiceSearchAttributes.promptVersion.name])
      .toEqual([`grounded-answer@${expected.version}`]);
  });

  it('assigns by request id when no user is named, and leaves tenants outside the experiment alone', async () => {
    const anonymous = await ask('anonymous-7');
    expect(anonymous.pinned?.variant).toBe(assignVariant('tone-2026', 'anonymous-7', variants).name);
    const outside = await stack.execute<AnswerResult>(workflowTypes.answer, workflowIds.answer('globex', 'q1'), {
      tenant: 'globex', requestId: 'q1', question, userId: 'ana',
    });
    expect(outside.pinned).toMatchObject({ variant: 'default', promptVersion: 'grounded-v1' });
    expect(outside.pinned?.experiment).toBeUndefined();
  });
});
