import { z } from 'zod';

// Tracing settings: off unless an OTLP endpoint is named. One setting turns it on for every process.

export const tracingConfigSchema = z.object({
  /** OTLP/HTTP traces endpoint, e.g. http://127.0.0.1:4318/v1/traces. Unset: no tracing. */
  otlpEndpoint: z.string().url().optional(),
  /** `service.name` on every span; each process adds its role (`sluice-orchestration`, …). */
  serviceName: z.string().min(1).max(100).default('sluice'),
});
export type TracingConfig = z.infer<typeof tracingConfigSchema>;

export const tracingEnvironmentVariables: Record<keyof TracingConfig, string> = {
  otlpEndpoint: 'SLUICE_OTLP_TRACES_ENDPOINT',
  serviceName: 'SLUICE_TRACING_SERVICE_NAME',
};
