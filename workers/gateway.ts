// Entry point of a standalone HTTP gateway (`npm run gateway`): connects to the Temporal server
// named by SLUICE_TEMPORAL_ADDRESS and serves the /v1 API on SLUICE_GATEWAY_HOST:SLUICE_GATEWAY_PORT
// (127.0.0.1:8080). On SIGTERM or SIGINT it stops accepting, lets requests in flight finish, exits.
import { resolve } from 'node:path';
import { codecDataConverter, loadPayloadCodec } from '../client/codec/load-codec';
import { SluiceClient } from '../client/sluice-client';
import { loadConfig } from '../contracts/config';
import { startGateway } from '../gateway/start-gateway';
import { createLogger } from './logger';
import { describeStartupError } from './startup-errors';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  // Beside production workers: the codec keys must be configured, never made up here.
  const codec = loadPayloadCodec(process.env, resolve(config.dataDir), { allowKeyFile: false });
  const client = await SluiceClient.connect({}, { dataConverter: codecDataConverter(codec) });
  const gateway = await startGateway({
    client, dataDir: config.dataDir, logger,
    ...(codec ? { codecServer: { codec, namespace: config.temporalNamespace } } : {}),
  });
  // Not workers/runtime.ts's handler: that module loads the worker's native runtime, which a gateway never needs.
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(130);
      stopping = true;
      logger.info({ signal }, 'HTTP gateway draining');
      void gateway.close().then(() => client.close()).then(() => process.exit(0), () => process.exit(1));
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`sluice gateway: ${describeStartupError(error)}\n`);
  process.exit(1);
});
