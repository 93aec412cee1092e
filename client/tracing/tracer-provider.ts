// The OpenTelemetry SDK's side of tracing.ts: the process's tracer provider, exporting over OTLP/HTTP, and the
// Temporal plugin that carries spans through workflows and activities. A module of its own so that tracing.ts
// loads it only when tracing is on: a process without tracing (the default) carries none of this code.
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';

export interface TracerInstallation {
  plugin: OpenTelemetryPlugin;
  provider: NodeTracerProvider;
}

/** Registers the process's tracer provider for `role`, exporting to `otlpEndpoint` unless `exporter` is given. */
export function installTracerProvider(
  role: string, serviceName: string, otlpEndpoint: string | undefined, exporter?: SpanExporter,
): TracerInstallation {
  const resource = new Resource({ 'service.name': serviceName, 'service.namespace': 'sluice', 'sluice.role': role });
  const spanProcessor = new BatchSpanProcessor(exporter ?? new OTLPTraceExporter({ url: otlpEndpoint }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  return { plugin: new OpenTelemetryPlugin({ resource, spanProcessor }), provider };
}
