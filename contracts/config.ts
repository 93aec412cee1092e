import { z } from 'zod';

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
});
export type SluiceConfig = z.infer<typeof sluiceConfigSchema>;

/** Environment variable that sets each config field. */
export const configEnvironmentVariables: Record<keyof SluiceConfig, string> = {
  temporalAddress: 'SLUICE_TEMPORAL_ADDRESS',
  temporalNamespace: 'SLUICE_TEMPORAL_NAMESPACE',
  temporalUiUrl: 'SLUICE_TEMPORAL_UI_URL',
  dataDir: 'SLUICE_DATA_DIR',
  logLevel: 'SLUICE_LOG_LEVEL',
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
