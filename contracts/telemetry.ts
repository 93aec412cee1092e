import { z } from 'zod';

// Where a process exports metrics (and, later, traces). Read from the environment by workers/runtime.ts.

/** `host:port` for the Prometheus scrape endpoint (`/metrics`), or `off`. */
export const metricsAddressSchema = z.union([
  z.literal('off'),
  z.string().regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port (e.g. 0.0.0.0:9464) or off'),
]);

export const telemetryConfigSchema = z.object({
  metricsAddress: metricsAddressSchema.optional(),
});
export type TelemetryConfig = z.infer<typeof telemetryConfigSchema>;

export const telemetryEnvironmentVariables: Record<keyof TelemetryConfig, string> = {
  metricsAddress: 'SLUICE_METRICS_ADDRESS',
};
