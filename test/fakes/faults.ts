/** Faults the fake provider server injects, set per test. */
export type Fault =
  /** 429 with `retry-after` (seconds) and optionally `retry-after-ms`. */
  | { kind: 'rate-limit'; retryAfterSeconds?: number; retryAfterMs?: number }
  /** A 5xx status (default 500). */
  | { kind: 'server-error'; status?: number }
  /** Accepts the request and never answers (until the server closes). */
  | { kind: 'hang' }
  /** Streams one chunk, then goes silent. */
  | { kind: 'stall-stream' }
  /** 200 with a body that is not valid JSON (or an SSE event that is not). */
  | { kind: 'malformed-json' }
  /** 401 as for a bad key. */
  | { kind: 'unauthorized' }
  /** 400 with the provider's context-length wording. */
  | { kind: 'context-length' }
  /** Destroys the socket without a response. */
  | { kind: 'reset' };

export type Protocol = 'openai' | 'anthropic';

/** Error body in each provider's wire format. */
export function errorBody(protocol: Protocol, kind: 'rate_limit' | 'server' | 'auth' | 'context_length'): unknown {
  const openAI = {
    rate_limit: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' },
    server: { message: 'The server had an error while processing your request.', type: 'server_error', code: null },
    auth: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' },
    context_length: {
      message: "This model's maximum context length is 8192 tokens. However, your messages resulted in 9120 tokens.",
      type: 'invalid_request_error', code: 'context_length_exceeded',
    },
  };
  const anthropic = {
    rate_limit: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' },
    server: { type: 'api_error', message: 'Internal server error' },
    auth: { type: 'authentication_error', message: 'invalid x-api-key' },
    context_length: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' },
  };
  return protocol === 'openai' ? { error: openAI[kind] } : { type: 'error', error: anthropic[kind] };
}
