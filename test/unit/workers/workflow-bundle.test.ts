import { Resource } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';
import type { WorkerPlugin } from '@temporalio/worker';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bundleWorkflowsInChildProcess, workflowBundleInputs, WorkflowBundleError,
} from '../../../workers/workflow-bundle';

const workflowsPath = require.resolve('../../../workflows');

describe('workflowBundleInputs (what the child process bundles from)', () => {
  it('is the workflows path alone for a worker without codec or plugins', () => {
    expect(workflowBundleInputs(workflowsPath)).toEqual({ workflowsPath });
  });

  it("carries the data converter's paths, as Worker.create would bundle them", () => {
    const failureConverterPath = require.resolve('../../../client/codec/failure-converter');
    expect(workflowBundleInputs(workflowsPath, { failureConverterPath })).toEqual({ workflowsPath, failureConverterPath });
  });

  it("adds a plugin's workflow interceptor modules (tracing inside workflows)", () => {
    const spanProcessor = new SimpleSpanProcessor(new InMemorySpanExporter());
    const tracing = new OpenTelemetryPlugin({ resource: new Resource({}), spanProcessor });
    const inputs = workflowBundleInputs(workflowsPath, undefined, [tracing]);
    expect(inputs?.workflowInterceptorModules).toEqual([
      require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'),
    ]);
  });

  it('is undefined when a plugin sets what cannot cross a process boundary (a webpack hook)', () => {
    const hooked = { name: 'hooked', configureBundler: (options: object) => ({ ...options, webpackConfigHook: (config: unknown) => config }) };
    expect(workflowBundleInputs(workflowsPath, undefined, [hooked as unknown as WorkerPlugin])).toBeUndefined();
  });
});

describe('bundleWorkflowsInChildProcess', () => {
  it("fails with webpack's message when the workflows do not build", async () => {
    const outputPath = join(mkdtempSync(join(tmpdir(), 'sluice-bundle-')), 'bundle.js');
    await expect(bundleWorkflowsInChildProcess({ workflowsPath: join(tmpdir(), 'no-such-workflows.ts') }, outputPath))
      .rejects.toBeInstanceOf(WorkflowBundleError);
  }, 60_000);
});
