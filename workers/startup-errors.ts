/** One line for an error that stops a process from starting, without a stack trace. */
export function describeStartupError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (/address already in use|bind/i.test(error.message)) return `${error.message} — is another Sluice or Temporal server already running? Stop it or set SLUICE_TEMPORAL_ADDRESS.`;
  return error.message;
}
