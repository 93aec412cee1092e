// What every worker process sets up the same way before it polls: the payload codec (one for its
// workers and its client), tracing when it is on, how it reaches Temporal (address, TLS, API key), and
// which build it is when worker versioning is on (SLUICE_BUILD_ID).
// Read before connecting, so a bad key or setting stops the process with one line.
import { Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, type WorkerDeploymentOptions, type WorkerPlugin } from '@temporalio/worker';
import { resolve } from 'node:path';
import type { SluiceConfig } from '../contracts/config';
import {
  defaultVersioningBehavior, loadWorkerDeploymentConfig, type WorkerDeploymentConfig,
} from '../contracts/worker-deployment';
import type { EncryptionCodec } from '../client/codec/encryption-codec';
import { codecDataConverter, loadPayloadCodec } from '../client/codec/load-codec';
import { connectionOptions } from '../client/temporal-connection-options';
import { startTracing, tracingPlugins, type Tracing } from '../client/tracing/tracing';

export interface ProcessSetup {
  codec: EncryptionCodec | undefined;
  /**
   * For every Worker.create and Client of the process; a Client ignores `workerDeploymentOptions`, which is
   * set only when SLUICE_BUILD_ID is.
   */
  workerOptions: {
    dataConverter: DataConverter;
    plugins: WorkerPlugin[];
    workerDeploymentOptions?: WorkerDeploymentOptions;
  };
  tracing: Tracing | undefined;
  connectWorker(): Promise<NativeConnection>;
  connectClient(): Promise<Connection>;
  /** Sends buffered spans; call last on shutdown. */
  flush(): Promise<void>;
}

/**
 * `role` names the process in traces (`orchestration`, `llm`, `gpu`, `dev-stack`). `allowKeyFile` lets a
 * one-machine process make `<dataDir>/codec-keys.json` when no codec key is configured.
 */
export function prepareProcess(config: SluiceConfig, role: string, options: { allowKeyFile: boolean }): ProcessSetup {
  const workerDeploymentOptions = versionedWorkerOptions(loadWorkerDeploymentConfig(process.env));
  const codec = loadPayloadCodec(process.env, resolve(config.dataDir), options);
  const tracing = startTracing(role);
  const connection = connectionOptions(config);
  return {
    codec,
    workerOptions: {
      dataConverter: codecDataConverter(codec),
      plugins: tracingPlugins(tracing),
      ...(workerDeploymentOptions ? { workerDeploymentOptions } : {}),
    },
    tracing,
    connectWorker: () => NativeConnection.connect(connection),
    connectClient: () => Connection.connect(connection),
    flush: async () => tracing?.shutdown(),
  };
}

/**
 * A worker's Worker Deployment version, or undefined (versioning off) without a build id. Every Sluice worker,
 * whatever its queue, joins the same deployment, so a pinned run's activities go to workers of its own build.
 */
export function versionedWorkerOptions(config: WorkerDeploymentConfig): WorkerDeploymentOptions | undefined {
  if (config.buildId === undefined) return undefined;
  return {
    version: { deploymentName: config.deploymentName, buildId: config.buildId },
    useWorkerVersioning: true,
    defaultVersioningBehavior,
  };
}
