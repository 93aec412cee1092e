// Stable failure type names: an activity error's type is what retry policies match,
// so these strings are part of the retry contract and never change meaning.
export const errorTypes = {
  /** Input failed validation; retrying cannot help. */
  invalidInput: 'InvalidInput',
  /** A source file or folder does not exist or cannot be read. */
  sourceNotFound: 'SourceNotFound',
  /** An ingest path lies outside the folders the tenant may read on the worker (SLUICE_INGEST_ROOTS). */
  sourceNotAllowed: 'SourceNotAllowed',
  /** A source is not a readable text file or folder: not UTF-8, or a FIFO, socket, device or /proc entry. */
  unreadableSource: 'UnreadableSource',
  /** A gate or policy refused the request. */
  policyViolation: 'PolicyViolation',
  /** Credentials were rejected by a provider. */
  authFailure: 'AuthFailure',
  /** A provider rejected the request itself (bad parameters, unknown model); retrying cannot help. */
  invalidModelRequest: 'InvalidModelRequest',
  /** Prompt plus output allowance exceed the model's context window: trim or pick a longer-context model. */
  contextWindowExceeded: 'ContextWindowExceeded',
  /** The worker's circuit breaker for the provider is open: fail fast so the workflow falls back. */
  circuitOpen: 'CircuitOpen',
  /** The model id, provider or its API key is not configured on the worker. */
  modelNotConfigured: 'ModelNotConfigured',
  /** 429 from a provider; retried after the provider's retry-after. */
  rateLimited: 'RateLimited',
  /** 5xx or a connection reset; retried with backoff. */
  providerUnavailable: 'ProviderUnavailable',
  /** A provider call ran past its request timeout or stalled mid-stream; retried. */
  providerTimeout: 'ProviderTimeout',
  /** A provider answered with a body that could not be parsed; retried. */
  malformedResponse: 'MalformedResponse',
  /**
   * A sealed redaction map cannot be opened (another worker's key, another tenant, tampered):
   * retrying cannot help, and the answer must not pass as clean.
   */
  redactionRestoreFailed: 'RedactionRestoreFailed',
  /** A search named a tenant that has no ingested chunk (when the caller asked to be told). */
  unknownTenant: 'UnknownTenant',
  /** A run named by its workflow id does not exist, or belongs to another tenant (which reads the same). */
  unknownRun: 'UnknownRun',
  /** The vector store is unreachable, answered 5xx/429 or timed out; retried with backoff until the deadline. */
  storeUnavailable: 'StoreUnavailable',
  /** The vector store refused the request itself (4xx, oversized body); retrying cannot help. */
  invalidStoreRequest: 'InvalidStoreRequest',
} as const;
export type ErrorType = (typeof errorTypes)[keyof typeof errorTypes];

/** Types a retry policy must never retry. */
export const nonRetryableErrorTypes: ErrorType[] = [
  errorTypes.invalidInput,
  errorTypes.sourceNotFound,
  errorTypes.sourceNotAllowed,
  errorTypes.unreadableSource,
  errorTypes.policyViolation,
  errorTypes.authFailure,
  errorTypes.invalidModelRequest,
  errorTypes.contextWindowExceeded,
  errorTypes.circuitOpen,
  errorTypes.modelNotConfigured,
  errorTypes.unknownTenant,
  errorTypes.unknownRun,
  errorTypes.redactionRestoreFailed,
  errorTypes.invalidStoreRequest,
];
