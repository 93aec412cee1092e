// How every Sluice process reaches its Temporal server: the dev server (an address), a self-hosted cluster
// (TLS, maybe mTLS, maybe a bearer token) or Temporal Cloud (mTLS or an API key). One function so the
// client, the CLI, the workers and the scripts can never disagree about it.
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { ConfigError, configEnvironmentVariables, type SluiceConfig } from '../contracts/config';

/** The settings `connectionOptions` reads; a whole `SluiceConfig` will do. */
export type TemporalConnectionSettings = Pick<
  SluiceConfig,
  | 'temporalAddress' | 'temporalTls' | 'temporalTlsCert' | 'temporalTlsKey' | 'temporalTlsCa'
  | 'temporalTlsServerName' | 'temporalApiKey'
>;

/** What `Connection.connect` (client) and `NativeConnection.connect` (worker) both accept. */
export interface TemporalConnectionOptions {
  address: string;
  /** Set when any TLS setting or an API key is given; absent means plain gRPC (the dev server). */
  tls?: TLSConfig;
  /** Sent as `Authorization: Bearer <key>`. */
  apiKey?: string;
}

type PemField = 'temporalTlsCert' | 'temporalTlsKey' | 'temporalTlsCa';

const readErrors: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a parent is not a folder',
};

/**
 * Reads one PEM file named by a setting. Errors are one line naming the variable and the path, never the
 * file's content (a private key) nor a value that is not a path.
 */
function readPem(field: PemField, path: string): Buffer {
  const variable = configEnvironmentVariables[field];
  if (path.includes('-----BEGIN') || /[\r\n]/.test(path)) {
    throw new ConfigError(`${variable}: must be the path of a PEM file, not the PEM text itself`);
  }
  let content: Buffer;
  try {
    content = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ConfigError(`${variable}: cannot read ${path} (${readErrors[code] ?? code})`);
  }
  if (!content.toString('latin1').includes('-----BEGIN ')) {
    throw new ConfigError(`${variable}: ${path} is not a PEM file (no "-----BEGIN" line)`);
  }
  return content;
}

/**
 * Connection options for the configured server: the address alone for the dev server, plus TLS (server CA,
 * server name, mTLS client pair) and the API key when they are set. An API key turns TLS on, with the
 * system's roots unless a CA is given. Reads the PEM files now, so a bad path fails at start-up.
 */
export function connectionOptions(settings: TemporalConnectionSettings): TemporalConnectionOptions {
  const { temporalTlsCert: cert, temporalTlsKey: key, temporalTlsCa: ca, temporalTlsServerName: serverName } = settings;
  const apiKey = settings.temporalApiKey;
  const wantsTls = settings.temporalTls === true || Boolean(cert || key || ca || serverName || apiKey);
  if (!wantsTls) return { address: settings.temporalAddress };
  if (settings.temporalTls === false) {
    // loadConfig refuses this too; repeated for settings built in code, so a key never travels in clear.
    throw new ConfigError(`${configEnvironmentVariables.temporalTls}: is false, but other settings need TLS`);
  }
  if (Boolean(cert) !== Boolean(key)) {
    const names = [configEnvironmentVariables.temporalTlsCert, configEnvironmentVariables.temporalTlsKey];
    const [set, unset] = cert ? names : names.reverse();
    throw new ConfigError(`${unset}: must be set with ${set} (mTLS needs both)`);
  }
  const tls: TLSConfig = {};
  if (ca) tls.serverRootCACertificate = readPem('temporalTlsCa', ca);
  if (cert && key) tls.clientCertPair = { crt: readPem('temporalTlsCert', cert), key: readPem('temporalTlsKey', key) };
  if (serverName) tls.serverNameOverride = serverName;
  return { address: settings.temporalAddress, tls, ...(apiKey ? { apiKey } : {}) };
}
