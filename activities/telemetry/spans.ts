import { SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';

// A span around a call out of the process (the provider's HTTP API), as a child of the activity's span
// that Temporal's interceptor opened. Without a tracer provider (tracing off) it costs a no-op span.
// An error is recorded by its class name only: provider messages may quote the request.

export async function inClientSpan<T>(name: string, attributes: Attributes, run: () => Promise<T>): Promise<T> {
  return trace.getTracer('sluice').startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      return await run();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
      throw error;
    } finally {
      span.end();
    }
  });
}
