import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { BundleOptions, BundlerPlugin, DataConverter, WorkerPlugin } from '@temporalio/worker';

/** What a bundle is built from, as paths only: these cross a process boundary. */
export interface WorkflowBundleInputs {
  workflowsPath: string;
  workflowInterceptorModules?: string[];
  payloadConverterPath?: string;
  failureConverterPath?: string;
}

/**
 * The inputs Worker.create would bundle with: the data converter's paths and whatever each plugin's
 * `configureBundler` adds (tracing adds its workflow interceptors). Undefined when a plugin sets
 * something only an in-process bundle can carry (a webpack hook, a module list to ignore).
 */
export function workflowBundleInputs(
  workflowsPath: string, dataConverter?: DataConverter, plugins: readonly WorkerPlugin[] = [],
): WorkflowBundleInputs | undefined {
  let options: BundleOptions = {
    workflowsPath,
    ...(dataConverter?.payloadConverterPath ? { payloadConverterPath: dataConverter.payloadConverterPath } : {}),
    ...(dataConverter?.failureConverterPath ? { failureConverterPath: dataConverter.failureConverterPath } : {}),
  };
  // Worker.create hands its plugins to the bundler the same way: a plugin may be both kinds.
  for (const plugin of plugins as readonly Partial<BundlerPlugin>[]) {
    options = plugin.configureBundler?.(options) ?? options;
  }
  const { workflowInterceptorModules, payloadConverterPath, failureConverterPath, ...rest } = options;
  const unknown = Object.keys(rest).some((key) => key !== 'workflowsPath' && rest[key as keyof typeof rest] !== undefined);
  if (unknown) return undefined;
  return {
    workflowsPath: options.workflowsPath,
    ...(workflowInterceptorModules?.length ? { workflowInterceptorModules } : {}),
    ...(payloadConverterPath ? { payloadConverterPath } : {}),
    ...(failureConverterPath ? { failureConverterPath } : {}),
  };
}

/** Thrown by bundleWorkflowsInChildProcess when webpack fails; the message carries its output. */
export class WorkflowBundleError extends Error {
  override name = 'WorkflowBundleError';
}

/**
 * Bundles workflows in a child process (workers/bundle-workflows.cjs) into `outputPath`: the same
 * bundle Worker.create would build from `workflowsPath`. webpack and swc then never load into the
 * worker (bundled in process they leave ~100 MiB resident for the worker's life), and a worker given
 * the file by path keeps one copy of the code instead of two. Warnings webpack prints reach `warn`.
 */
export async function bundleWorkflowsInChildProcess(
  inputs: WorkflowBundleInputs, outputPath: string, warn: (message: string) => void = () => {},
): Promise<void> {
  const child = spawn(process.execPath, [join(__dirname, 'bundle-workflows.cjs'), JSON.stringify(inputs), outputPath], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const diagnostics: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => diagnostics.push(chunk));
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const output = Buffer.concat(diagnostics).toString('utf8').trim();
  if (exitCode !== 0) throw new WorkflowBundleError(`bundling workflows failed (exit ${exitCode}): ${output}`);
  if (output) warn(output);
}
