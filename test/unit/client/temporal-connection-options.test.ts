import type { ConnectionOptions } from '@temporalio/client';
import type { NativeConnectionOptions } from '@temporalio/worker';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../contracts/config';
import { connectionOptions, type TemporalConnectionOptions } from '../../../client/temporal-connection-options';

const apiKey = 'tmprl-api-key-DO-NOT-PRINT-4f1c';
const keyMaterial = 'PRIVATE-KEY-MATERIAL-DO-NOT-PRINT';
const pem = (label: string, body: string): string => `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;

/** A folder with a client certificate, its key and a CA, as a Secret mounted in a pod would hold them. */
function certificateFolder(): { cert: string; key: string; ca: string; folder: string } {
  const folder = mkdtempSync(join(tmpdir(), 'sluice-tls-'));
  const files = {
    cert: join(folder, 'tls.crt'), key: join(folder, 'tls.key'), ca: join(folder, 'ca.crt'), folder,
  };
  writeFileSync(files.cert, pem('CERTIFICATE', 'Y2xpZW50'));
  writeFileSync(files.key, pem('PRIVATE KEY', keyMaterial));
  writeFileSync(files.ca, pem('CERTIFICATE', 'Y2E='));
  return files;
}

/** The message of the ConfigError `run` throws (fails the test if it throws nothing else). */
function configErrorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a ConfigError');
}

const fromEnvironment = (environment: Record<string, string>): TemporalConnectionOptions =>
  connectionOptions(loadConfig(environment));

describe('connectionOptions', () => {
  it('gives the dev server its address alone: no TLS, no key', () => {
    const options = fromEnvironment({ SLUICE_TEMPORAL_ADDRESS: 'temporal:7233' });
    expect(options).toEqual({ address: 'temporal:7233' });
  });

  it('reads the mTLS pair, the server CA and the server name from their files', () => {
    const files = certificateFolder();
    const options = fromEnvironment({
      SLUICE_TEMPORAL_ADDRESS: 'acme.a1b2c.tmprl.cloud:7233',
      SLUICE_TEMPORAL_TLS_CERT: files.cert,
      SLUICE_TEMPORAL_TLS_KEY: files.key,
      SLUICE_TEMPORAL_TLS_CA: files.ca,
      SLUICE_TEMPORAL_TLS_SERVER_NAME: 'frontend.temporal.internal',
    });
    expect(options.apiKey).toBeUndefined();
    expect(Buffer.from(options.tls!.clientCertPair!.crt).toString()).toBe(pem('CERTIFICATE', 'Y2xpZW50'));
    expect(Buffer.from(options.tls!.clientCertPair!.key).toString()).toContain(keyMaterial);
    expect(Buffer.from(options.tls!.serverRootCACertificate!).toString()).toBe(pem('CERTIFICATE', 'Y2E='));
    expect(options.tls!.serverNameOverride).toBe('frontend.temporal.internal');
  });

  it('turns TLS on for an API key, trusting the system roots', () => {
    const options = fromEnvironment({
      SLUICE_TEMPORAL_ADDRESS: 'us-east-1.aws.api.temporal.io:7233', SLUICE_TEMPORAL_API_KEY: `${apiKey}\n`,
    });
    // The trailing newline a key copied from a file carries would make an invalid header.
    expect(options).toEqual({ address: 'us-east-1.aws.api.temporal.io:7233', tls: {}, apiKey });
  });

  it('turns TLS on with SLUICE_TEMPORAL_TLS=true alone, for a server certificate the system trusts', () => {
    expect(fromEnvironment({ SLUICE_TEMPORAL_TLS: 'true' }).tls).toEqual({});
    expect(fromEnvironment({ SLUICE_TEMPORAL_TLS: 'false' }).tls).toBeUndefined();
  });

  it('fits both Connection.connect and NativeConnection.connect', () => {
    const ca = certificateFolder().ca;
    const options = fromEnvironment({ SLUICE_TEMPORAL_API_KEY: apiKey, SLUICE_TEMPORAL_TLS_CA: ca });
    // Compile-time: the same object is a valid argument to both (tsc checks these assignments).
    const client: ConnectionOptions = { ...options, connectTimeout: '3 seconds' };
    const native: NativeConnectionOptions = options;
    expect(client.apiKey).toBe(apiKey);
    expect(native.tls).toBe(options.tls);
  });
});

describe('connection settings that cannot work', () => {
  it('refuse a certificate without its key, naming both variables (and the reverse)', () => {
    const files = certificateFolder();
    const certOnly = configErrorOf(() => loadConfig({ SLUICE_TEMPORAL_TLS_CERT: files.cert }));
    expect(certOnly).toContain('SLUICE_TEMPORAL_TLS_KEY');
    expect(certOnly).toContain('SLUICE_TEMPORAL_TLS_CERT');
    const keyOnly = configErrorOf(() => loadConfig({ SLUICE_TEMPORAL_TLS_KEY: files.key }));
    expect(keyOnly).toContain('SLUICE_TEMPORAL_TLS_CERT: must be set with SLUICE_TEMPORAL_TLS_KEY');
    // Settings built in code, bypassing loadConfig, are refused the same way.
    const direct = configErrorOf(() => connectionOptions({ temporalAddress: 'x:7233', temporalTlsCert: files.cert }));
    expect(direct).toBe('SLUICE_TEMPORAL_TLS_KEY: must be set with SLUICE_TEMPORAL_TLS_CERT (mTLS needs both)');
  });

  it('refuse SLUICE_TEMPORAL_TLS=false beside settings that need TLS', () => {
    const message = configErrorOf(() => loadConfig({ SLUICE_TEMPORAL_TLS: 'false', SLUICE_TEMPORAL_API_KEY: apiKey }));
    expect(message).toContain('SLUICE_TEMPORAL_TLS: is false, but SLUICE_TEMPORAL_API_KEY needs TLS');
  });

  it('name the variable and the path of a file that is missing, a folder or not PEM', () => {
    const files = certificateFolder();
    const missing = join(files.folder, 'gone.crt');
    expect(configErrorOf(() => fromEnvironment({ SLUICE_TEMPORAL_TLS_CA: missing })))
      .toBe(`SLUICE_TEMPORAL_TLS_CA: cannot read ${missing} (no such file)`);
    const folder = join(files.folder, 'certs');
    mkdirSync(folder);
    const withFolder = { SLUICE_TEMPORAL_TLS_CERT: folder, SLUICE_TEMPORAL_TLS_KEY: files.key };
    expect(configErrorOf(() => fromEnvironment(withFolder)))
      .toBe(`SLUICE_TEMPORAL_TLS_CERT: cannot read ${folder} (it is a folder)`);
    const notPem = join(files.folder, 'key.der');
    writeFileSync(notPem, Buffer.from([0x30, 0x82, 0x01, 0x0a]));
    const withDer = { SLUICE_TEMPORAL_TLS_CERT: files.cert, SLUICE_TEMPORAL_TLS_KEY: notPem };
    expect(configErrorOf(() => fromEnvironment(withDer)))
      .toBe(`SLUICE_TEMPORAL_TLS_KEY: ${notPem} is not a PEM file (no "-----BEGIN" line)`);
  });

  it('never print a secret: not the API key, not the key file, not PEM text put in a path variable', () => {
    const files = certificateFolder();
    const messages = [
      // A readable key beside a missing certificate file: the key must not leak into the message.
      configErrorOf(() => fromEnvironment({
        SLUICE_TEMPORAL_API_KEY: apiKey, SLUICE_TEMPORAL_TLS_KEY: files.key,
        SLUICE_TEMPORAL_TLS_CERT: join(files.folder, 'missing.crt'),
      })),
      configErrorOf(() => loadConfig({ SLUICE_TEMPORAL_TLS: 'false', SLUICE_TEMPORAL_API_KEY: apiKey })),
      configErrorOf(() => loadConfig({ SLUICE_TEMPORAL_API_KEY: `${apiKey} ${apiKey}` })),
      // The key's PEM text itself in the variable, a common mistake with Kubernetes secrets.
      configErrorOf(() => loadConfig({
        SLUICE_TEMPORAL_TLS_CERT: files.cert, SLUICE_TEMPORAL_TLS_KEY: pem('PRIVATE KEY', keyMaterial),
      })),
      configErrorOf(() => connectionOptions({
        temporalAddress: 'x:7233', temporalTlsCert: files.cert, temporalTlsKey: pem('PRIVATE KEY', keyMaterial),
      })),
    ];
    for (const message of messages) {
      expect(message).not.toContain(apiKey);
      expect(message).not.toContain(keyMaterial);
      expect(message).toMatch(/SLUICE_TEMPORAL_/);
    }
    expect(messages[3]).toContain('SLUICE_TEMPORAL_TLS_KEY: must be the path of a PEM file, not the PEM text itself');
  });
});
