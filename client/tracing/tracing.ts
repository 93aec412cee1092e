// OpenTelemetry tracing through Temporal's interceptors: client → workflow → activities → the provider
// call, one trace per request. Off by default; SLUICE_OTLP_TRACES_ENDPOINT turns it on in every process
// (clients and workers), exporting over OTLP/HTTP. Lives beside the client because app services, the CLI
// and the workers all install it the same way. Spans carry ids, types and model names, never text.
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';
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
  const resource = new Resource({
    'service.name': config.serviceName, 'service.namespace': 'sluice', 'sluice.role': role,
  });
  const spanProcessor = new BatchSpanProcessor(exporter ?? new OTLPTraceExporter({ url: config.otlpEndpoint }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  const plugin = new OpenTelemetryPlugin({ resource, spanProcessor });
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
