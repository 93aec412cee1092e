import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { apiKeyFilePath } from '../client/gateway-keys';
import { loadGatewayConfig, type GatewayLimitsInput } from '../contracts/gateway';
import { buildGateway, type GatewayDependencies } from './app';
import { FileApiKeyStore } from './auth/key-store';
import type { GatewayClient } from './gateway-client';

// Starts the gateway on a port: used by `workers/gateway.ts` (standalone) and by `npm start`.
// Settings not given here come from the SLUICE_GATEWAY_* variables (contracts/gateway.ts).

export interface StartGatewayOptions {
  client: GatewayClient;
  /** Holds the key file when neither `keysFile` nor SLUICE_GATEWAY_KEYS_FILE names one. */
  dataDir: string;
  /** @default SLUICE_GATEWAY_HOST, else 127.0.0.1 */
  host?: string;
  /** 0 picks a free port. @default SLUICE_GATEWAY_PORT, else 8080 */
  port?: number;
  logger: Logger;
  /** @default SLUICE_GATEWAY_KEYS_FILE, else `<dataDir>/gateway-keys.json` */
  keysFile?: string;
  /** @default from SLUICE_GATEWAY_RPS, SLUICE_GATEWAY_TOKENS_PER_MINUTE, … */
  limits?: GatewayLimitsInput;
  environment?: Record<string, string | undefined>;
  /** The payload codec and namespace: mounts the codec server at /codec (operator keys only). */
  codecServer?: GatewayDependencies['codecServer'];
}

export interface RunningGateway {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** Stops accepting connections and waits for requests in flight to finish. */
  close(): Promise<void>;
}

/** Opens the key file (a broken one stops the start with a message naming the field) and listens. */
export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const environment = options.environment ?? process.env;
  const config = loadGatewayConfig(environment);
  const keysFile = resolve(options.keysFile ?? apiKeyFilePath(options.dataDir, environment));
  const keys = await FileApiKeyStore.open(keysFile, options.logger);
  const { host: _host, port: _port, keysFile: _keysFile, ...limitsFromEnvironment } = config;
  const app = buildGateway({
    client: options.client, keys, logger: options.logger, limits: options.limits ?? limitsFromEnvironment,
    ...(options.codecServer ? { codecServer: options.codecServer } : {}),
  });
  const host = options.host ?? config.host;
  await app.listen({ host, port: options.port ?? config.port });
  const { port } = app.server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  options.logger.info({ url, keysFile }, 'HTTP gateway listening');
  return { url, close: () => app.close() };
}
