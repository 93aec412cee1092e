import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { join } from 'node:path';
import type { AnswerResult } from '../../contracts/answer';
import { taskQueues } from '../../contracts/task-queues';
import { workflowTypes } from '../../contracts/workflow-types';
import { startDevServer, type RunningDevServer } from '../../workers/dev-server-process';
import { createOrchestrationWorker } from '../../workers/orchestration-worker';
import { openEmbeddedDefaults } from '../../workers/embedded-defaults';
import { freePort } from '../../workers/free-port';
import { freshDataDir, installQuietRuntime } from '../helpers/temporal-env';
import { workflowBundlePath } from '../helpers/workflow-bundle';

// What `npm start` relies on: the dev server persists to SQLite under the data folder, so a
// workflow started before a full stop (server and workers) completes after the next start.
describe('the dev server as npm start runs it', () => {
  let server: RunningDevServer | undefined;
  afterAll(async () => server?.stop());

  it('keeps a running workflow across a server stop and start', async () => {
    installQuietRuntime();
    const dataDir = freshDataDir();
    const options = { port: await freePort(), uiPort: null, dbFilename: join(dataDir, 'temporal.db') } as const;
    server = await startDevServer(options);

    // Started while no worker polls: it waits in the server's persistence, as after a crash.
    let connection = await Connection.connect({ address: server.address });
    await new Client({ connection }).workflow.start(workflowTypes.answer, {
      taskQueue: taskQueues.orchestration, workflowId: 'answer-acme-restart', args: [{ tenant: 'acme', requestId: 'restart', question: 'What happens when a worker crashes?' }],
    });
    await connection.close();
    await server.stop();

    server = await startDevServer(options);
    connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection });
    const nativeConnection = await NativeConnection.connect({ address: server.address });
    const dependencies = await openEmbeddedDefaults(dataDir);
    const worker = await createOrchestrationWorker({ connection: nativeConnection, namespace: 'default', dependencies, workflowBundle: { codePath: workflowBundlePath } });
    const result = (await worker.runUntil(client.workflow.getHandle('answer-acme-restart').result())) as AnswerResult;
    // Nothing was ingested into this fresh store, so the pipeline completes with no context.
    expect(result.status).toBe('no_context');
    await dependencies.store.close();
    await nativeConnection.close();
    await connection.close();
  });
});
