import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  NativeConnection, Runtime, Worker, DefaultLogger, type ActivityInterceptorsFactory,
} from '@temporalio/worker';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActivityDependencies } from '../../activities';
import { CircuitBreakerRegistry } from '../../activities/models/circuit-breaker';
import type { ModelCatalog } from '../../contracts/model-catalog';
import type { SluiceClientOptions } from '../../client/sluice-client';
import { SourceRoots } from '../../activities/retrieval/source-roots';
import { everyTenant } from '../../contracts/ingest-roots';
import { devServerDynamicConfig, searchAttributeFlags } from '../../temporal-config/dev-server';
import { searchAttributeIndexTypes } from '../../temporal-config/search-attribute-registration';
import { temporalCliPath, temporalTestServerPath } from '../../temporal-config/temporal-binary';
import { taskQueues } from '../../contracts/task-queues';
import { openEmbeddedDefaults } from '../../workers/embedded-defaults';
import { createLlmWorker } from '../../workers/llm-worker';
import { createOrchestrationWorker } from '../../workers/orchestration-worker';
import { workflowBundlePath } from './workflow-bundle';

let runtimeInstalled = false;

/** Keeps the SDK's own logs to errors (expected failures log warnings) so test output stays readable. */
export function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  } catch {
    // Already installed by an earlier suite in this jest worker.
  }
}

/** Starts of the test server tried: it can crash at start-up when a parallel suite takes a port it picked. */
const serverStartAttempts = 3;

/**
 * Starts the real Temporal dev server (installed CLI binary) with Sluice's search attributes; `extraDynamicConfig`
 * adds or overrides dynamic-config keys for one suite.
 */
export async function startTestServer(
  extraDynamicConfig: Record<string, string> = {},
): Promise<TestWorkflowEnvironment> {
  installQuietRuntime();
  const settings = { ...devServerDynamicConfig, ...extraDynamicConfig };
  const dynamicConfig = Object.entries(settings).flatMap(([key, value]) => [
    '--dynamic-config-value',
    `${key}=${value}`,
  ]);
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createLocal({
        server: {
          executable: { type: 'existing-path', path: temporalCliPath() },
          extraArgs: [...searchAttributeFlags(), ...dynamicConfig],
        },
      });
    } catch (error) {
      if (attempt >= serverStartAttempts) throw error;
      process.stderr.write(`test server failed to start (attempt ${attempt}): ${String(error)}; starting it again\n`);
    }
  }
}

/**
 * The time-skipping test server (installed binary), for tests that wait on long timers. It has
 * no start flags for search attributes, so they are added through its operator service.
 */
export async function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  installQuietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
  });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default', searchAttributes: searchAttributeIndexTypes(),
  });
  return env;
}

/** A fresh data folder per suite, so suites never share a store. */
export const freshDataDir = (): string => mkdtempSync(join(tmpdir(), 'sluice-test-'));

/** SluiceClient options for a test stack: its worker runs without a payload codec, so must its clients. */
export const plainClientOptions: SluiceClientOptions = { dataConverter: {} };

/** The orchestration worker on the test server with the prebuilt bundle. */
export async function startWorker(
  env: Pick<TestWorkflowEnvironment, 'nativeConnection' | 'namespace'>,
  dependencies: ActivityDependencies,
  taskQueue?: string,
  activityInterceptors?: ActivityInterceptorsFactory[],
): Promise<Worker> {
  return createOrchestrationWorker({
    connection: env.nativeConnection as NativeConnection,
    namespace: env.namespace ?? 'default',
    dependencies,
    workflowBundle: { codePath: workflowBundlePath },
    taskQueue,
    ...(activityInterceptors ? { activityInterceptors } : {}),
  });
}

/** A provider's model-queue worker (workers/llm-worker.ts) on the test server, with a breaker registry of its own. */
export function startLlmWorker(
  env: Pick<TestWorkflowEnvironment, 'nativeConnection' | 'namespace'>,
  options: { catalog: ModelCatalog; provider: string; environment?: Record<string, string | undefined> },
): Promise<Worker> {
  return createLlmWorker({
    connection: env.nativeConnection as NativeConnection, namespace: env.namespace ?? 'default',
    breakers: new CircuitBreakerRegistry(), ...options,
  });
}

/** Folders tests ingest from by path: the sample corpus and the temporary folders they make. */
export const testSourceRoots = new SourceRoots({
  [everyTenant]: [join(__dirname, '..', '..', 'examples', 'corpus'), tmpdir()],
});

/** Embedded store and embedder in a fresh folder; path ingests may read the sample corpus and temp folders. */
export const openTestDependencies = async (): Promise<ActivityDependencies> => ({
  ...(await openEmbeddedDefaults(freshDataDir())), sourceRoots: testSourceRoots,
});

/** A dev server with one orchestration worker running on a fresh embedded store. */
export interface TestStack {
  env: TestWorkflowEnvironment;
  dependencies: ActivityDependencies;
  /** Starts a workflow on the orchestration queue and waits for its result. */
  execute<T>(workflowType: string, workflowId: string, input: unknown): Promise<T>;
  /** Drains the worker, closes the store, stops the server. */
  stop(): Promise<void>;
}

/** Starts a TestStack; `extra` adds or replaces activity dependencies (catalog, gate options…). */
export async function startTestStack(
  extra: (env: TestWorkflowEnvironment) => Partial<ActivityDependencies> = () => ({}),
): Promise<TestStack> {
  const env = await startTestServer();
  const dependencies: ActivityDependencies = { ...(await openTestDependencies()), ...extra(env) };
  const worker = await startWorker(env, dependencies);
  const running = worker.run();
  return {
    env,
    dependencies,
    execute: <T>(workflowType: string, workflowId: string, input: unknown) =>
      env.client.workflow.execute(workflowType, {
        taskQueue: taskQueues.orchestration,
        workflowId,
        args: [input],
      }) as Promise<T>,
    async stop() {
      worker.shutdown();
      await running;
      await dependencies.store.close();
      await env.teardown();
    },
  };
}
