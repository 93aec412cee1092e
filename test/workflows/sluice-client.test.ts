import { WorkflowClient, type WorkflowHandleWithStartDetails } from '@temporalio/client';
import { join } from 'node:path';
import { ExecutionConflictError } from '../../client/errors';
import { SluiceClient } from '../../client/sluice-client';
import type { IngestResult } from '../../contracts/ingest';
import { workflowIds, workflowTypes } from '../../contracts/workflow-types';
import { startTestStack, type TestStack, plainClientOptions } from '../helpers/temporal-env';

const corpus = join(__dirname, '..', '..', 'examples', 'corpus');
const question = 'What happens when a worker process crashes in the middle of an answer?';

// How SluiceClient names, deduplicates and re-runs executions by business id.
describe('SluiceClient business ids', () => {
  let stack: TestStack;
  let client: SluiceClient;

  beforeAll(async () => {
    stack = await startTestStack();
    const ingested = await stack.execute<IngestResult>(workflowTypes.ingest, 'ingest-acme-corpus', {
      tenant: 'acme', ingestId: 'c', path: corpus,
    });
    expect(ingested.ingestedDocuments).toBe(5);
    client = await SluiceClient.connect({ temporalAddress: stack.env.address }, plainClientOptions);
  });

  afterAll(async () => {
    await client?.close();
    await stack?.stop();
  });

  it('gives tenant acme + request eu-42 and tenant acme-eu + request 42 different executions', async () => {
    expect(workflowIds.answer('acme', 'eu-42')).not.toBe(workflowIds.answer('acme-eu', '42'));
    const acme = await client.ask({ tenant: 'acme', requestId: 'eu-42', question });
    const other = await client.ask({ tenant: 'acme-eu', requestId: '42', question });
    expect(acme.workflowId).not.toBe(other.workflowId);
    expect(acme.result.status).toBe('answered');
    // acme-eu has no documents: it must get its own (empty) answer, never acme's.
    expect(other.result.status).toBe('no_context');
  });

  it('starts answers eagerly when built on the worker\'s own connection, and leaves it open', async () => {
    const starts = jest.spyOn(WorkflowClient.prototype, 'start');
    const beside = SluiceClient.onWorkerConnection(
      stack.env.nativeConnection, { temporalAddress: stack.env.address }, plainClientOptions,
    );
    try {
      const asked = await beside.ask({ tenant: 'acme', requestId: 'eager', question });
      expect(asked.result.status).toBe('answered');
      const handle = await (starts.mock.results.at(-1)!.value as Promise<WorkflowHandleWithStartDetails>);
      expect(handle.eagerlyStarted).toBe(true);
    } finally {
      starts.mockRestore();
      await beside.close();
    }
    // The worker polls on that connection: it still answers after the client closed.
    const after = await client.ask({ tenant: 'acme', requestId: 'after-eager', question });
    expect(after.result.status).toBe('answered');
  });

  it('returns the first execution when the same request is asked again', async () => {
    const first = await client.ask({ tenant: 'acme', requestId: 'twice', question });
    const second = await client.ask({
      tenant: 'acme', requestId: 'twice', question: 'a different question, same request id',
    });
    expect(second.runId).toBe(first.runId);
    expect(second.result).toEqual(first.result);
    // Both know the run id from the start (or attach) itself; it is the server's.
    const { runId } = await stack.env.client.workflow.getHandle(first.workflowId).describe();
    expect(first.runId).toBe(runId);
    expect(first.uiUrl).toContain(runId);
  });

  it('refuses to attach to a run of the same id that belongs to another tenant', async () => {
    // A run squatting on acme's id with another owner, e.g. started by a client with the old id scheme.
    const workflowId = workflowIds.answer('acme', 'squatted');
    await stack.env.client.workflow.start(workflowTypes.answer, {
      taskQueue: 'sluice-test-nobody-polls', workflowId, memo: { sluiceTenant: 'intruder' },
      args: [{ tenant: 'intruder', requestId: 'squatted', question }],
    });
    await expect(client.ask({ tenant: 'acme', requestId: 'squatted', question }))
      .rejects.toBeInstanceOf(ExecutionConflictError);
  });

  it('runs a request again after its first run failed, instead of returning the failure forever', async () => {
    const workflowId = workflowIds.answer('acme', 'retry-after-failure');
    const stuck = await stack.env.client.workflow.start(workflowTypes.answer, {
      taskQueue: 'sluice-test-nobody-polls', workflowId, memo: { sluiceTenant: 'acme' },
      args: [{ tenant: 'acme', requestId: 'retry-after-failure', question }],
    });
    await stuck.terminate('simulated failure');
    const retried = await client.ask({ tenant: 'acme', requestId: 'retry-after-failure', question });
    expect(retried.runId).not.toBe(stuck.firstExecutionRunId);
    expect(retried.result.status).toBe('answered');
  });
});
