// OpenTelemetry tracing through Temporal's interceptors: client → workflow → activities → the provider
// call, one trace per request. Off by default; SLUICE_OTLP_TRACES_ENDPOINT turns it on in every process
// (clients and workers), exporting over OTLP/HTTP. Lives beside the client because app services, the CLI
// and the workers all install it the same way. Spans carry ids, types and model names, never text.
import { trace } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';
import { parseEnvironment } from '../../contracts/config';
import { tracingConfigSchema, tracingEnvironmentVariables } from '../../contracts/tracing';

export interface Tracing {
  /** Add to `new Client({ plugins })` and `Worker.create({ plugins })`. */
  plugin: OpenTelemetryPlugin;
  /** Sends what is buffered (call before exit). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

let installed: Tracing | undefined;

/**
 * Installs the process's tracer provider and returns the Temporal plugin, or undefined when tracing is
 * off. Idempotent: a process has one provider, so the client and workers of one process share it.
 * `exporter` replaces the OTLP exporter (tests).
 */
export function startTracing(
  role: string,
  environment: Record<string, string | undefined> = process.env,
  exporter?: SpanExporter,
): Tracing | undefined {
  if (installed) return installed;
  const config = parseEnvironment(tracingConfigSchema, tracingEnvironmentVariables, environment);
  if (!config.otlpEndpoint && !exporter) return undefined;
  // Required here, not imported above: the SDK (~10 MiB with its exporter) loads only in processes that trace.
  const { installTracerProvider } = require('./tracer-provider') as typeof import('./tracer-provider');
  const { plugin, provider } = installTracerProvider(role, config.serviceName, config.otlpEndpoint, exporter);
  installed = {
    plugin,
    flush: () => provider.forceFlush(),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      installed = undefined;
    },
  };
  return installed;
}

/** The plugins list for a client or worker: the tracing plugin when tracing is on. */
export function tracingPlugins(tracing: Tracing | undefined): OpenTelemetryPlugin[] {
  return tracing ? [tracing.plugin] : [];
}
