import { z } from 'zod';

/** Variables of the production connection settings, named in the messages that check their combinations. */
const temporalTlsVariables = {
  temporalTls: 'SLUICE_TEMPORAL_TLS',
  temporalTlsCert: 'SLUICE_TEMPORAL_TLS_CERT',
  temporalTlsKey: 'SLUICE_TEMPORAL_TLS_KEY',
  temporalTlsCa: 'SLUICE_TEMPORAL_TLS_CA',
  temporalTlsServerName: 'SLUICE_TEMPORAL_TLS_SERVER_NAME',
  temporalApiKey: 'SLUICE_TEMPORAL_API_KEY',
} as const;

// A path, checked without echoing it: a PEM pasted into the variable instead of a path would otherwise
// reach a "file not found" message, and a key with it.
const pemPathSchema = z.string().refine(
  (value) => !value.includes('-----BEGIN') && !/[\r\n]/.test(value),
  'must be the path of a PEM file, not the PEM text itself (mount it as a file)',
);

type TlsSettings = { [Field in keyof typeof temporalTlsVariables]?: string | boolean };

/** Combinations of the TLS settings that cannot work; each issue names the variables involved. */
function checkTemporalTls(config: TlsSettings, context: z.RefinementCtx): void {
  const names = temporalTlsVariables;
  const issue = (field: keyof typeof names, message: string): void =>
    context.addIssue({ code: 'custom', path: [field], message });
  if (config.temporalTlsCert && !config.temporalTlsKey) {
    issue('temporalTlsKey', `must be set with ${names.temporalTlsCert} (the client certificate's key)`);
  }
  if (config.temporalTlsKey && !config.temporalTlsCert) {
    issue('temporalTlsCert', `must be set with ${names.temporalTlsKey} (the key's client certificate)`);
  }
  if (config.temporalTls !== false) return;
  // mTLS and an API key together are allowed (mTLS at the edge, a bearer token for an authorizer); turning TLS
  // off while asking for either cannot work, and with a key it would send the key in clear.
  const needTls = (Object.keys(names) as (keyof typeof names)[])
    .filter((field) => field !== 'temporalTls' && config[field] !== undefined);
  if (!needTls.length) return;
  const listed = needTls.map((field) => names[field]).join(', ');
  issue('temporalTls', `is false, but ${listed} ${needTls.length === 1 ? 'needs' : 'need'} TLS`);
}

/** Process configuration, read from the environment and validated once at start-up. */
export const sluiceConfigSchema = z.object({
  /** Temporal frontend address. */
  temporalAddress: z.string().min(1).default('127.0.0.1:7233'),
  temporalNamespace: z.string().min(1).default('default'),
  /** Temporal Web UI base URL, used to print links to executions. */
  temporalUiUrl: z.string().url().default('http://127.0.0.1:8233'),
  /** Where the dev server's SQLite file and the embedded store live. */
  dataDir: z.string().min(1).default('.data'),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /**
   * `true` connects with TLS even when no other TLS setting is given (a server certificate the system
   * trusts); any TLS file, the server name or an API key turns it on by itself. @default off
   */
  temporalTls: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
  /** mTLS client certificate (PEM file path); needs temporalTlsKey. */
  temporalTlsCert: pemPathSchema.optional(),
  /** mTLS client private key (PEM file path); needs temporalTlsCert. */
  temporalTlsKey: pemPathSchema.optional(),
  /** CA that signed the server's certificate (PEM file path), when the system does not trust it. */
  temporalTlsCa: pemPathSchema.optional(),
  /** Name checked against the server's certificate (SNI), when it differs from the address's host. */
  temporalTlsServerName: z.string().min(1).optional(),
  /**
   * Temporal Cloud API key (or a bearer token a self-hosted authorizer reads); sent as
   * `Authorization: Bearer …` and turns TLS on. Surrounding whitespace (a newline from a secret file) is dropped.
   */
  temporalApiKey: z.string().trim().min(1).refine((value) => !/\s/.test(value), 'must not contain whitespace')
    .optional(),
}).superRefine(checkTemporalTls);
export type SluiceConfig = z.infer<typeof sluiceConfigSchema>;

/** Environment variable that sets each config field. */
export const configEnvironmentVariables: Record<keyof SluiceConfig, string> = {
  temporalAddress: 'SLUICE_TEMPORAL_ADDRESS',
  temporalNamespace: 'SLUICE_TEMPORAL_NAMESPACE',
  temporalUiUrl: 'SLUICE_TEMPORAL_UI_URL',
  dataDir: 'SLUICE_DATA_DIR',
  logLevel: 'SLUICE_LOG_LEVEL',
  ...temporalTlsVariables,
};

/** Thrown when the environment holds an invalid setting; the message names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads a config object from environment variables (unset or empty ones take the schema's
 * defaults) and validates it; a ConfigError names every variable at fault.
 */
export function parseEnvironment<Schema extends z.ZodType<Record<string, unknown>>>(
  schema: Schema,
  variables: Record<string, string>,
  environment: Record<string, string | undefined>,
): z.infer<Schema> {
  const raw: Record<string, string> = {};
  for (const [field, variable] of Object.entries(variables)) {
    const value = environment[variable];
    if (value !== undefined && value !== '') raw[field] = value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const message = parsed.error.issues.map((issue) => `${variables[String(issue.path[0])] ?? String(issue.path[0])}: ${issue.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${message}`);
  }
  return parsed.data;
}

/** Reads and validates the config from environment variables (unset ones take defaults). */
export function loadConfig(environment: Record<string, string | undefined>): SluiceConfig {
  return parseEnvironment(sluiceConfigSchema, configEnvironmentVariables, environment);
}
