import type { temporal } from '@temporalio/proto';

// A history's payloads are bytes (base64 once serialised), so searching its JSON for a user's
// words can never match. This renders a history as JSON with every payload decoded per its
// `metadata.encoding`, so "no user text in history" checks search what a reader would see.

type History = temporal.api.history.v1.IHistory;

const utf8 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

/** Thrown for a payload this helper cannot read (e.g. encrypted by a codec): a check must not pass blind. */
export class UndecodablePayloadError extends Error {
  override readonly name = 'UndecodablePayloadError';
}

function isPayload(value: object): value is { metadata: Record<string, Uint8Array>; data?: Uint8Array | null } {
  const candidate = value as { metadata?: unknown; data?: unknown };
  return typeof candidate.metadata === 'object' && candidate.metadata !== null
    && (candidate.data === undefined || candidate.data === null || candidate.data instanceof Uint8Array);
}

function decodePayload(payload: { metadata: Record<string, Uint8Array>; data?: Uint8Array | null }): unknown {
  const encodingBytes = payload.metadata.encoding;
  const encoding = encodingBytes ? utf8(encodingBytes) : '';
  const data = payload.data ? utf8(payload.data) : '';
  if (encoding === 'binary/null') return null;
  if (encoding === 'json/plain' || encoding === 'json/protobuf') return JSON.parse(data) as unknown;
  if (encoding === 'binary/plain') return data;
  throw new UndecodablePayloadError(`payload encoding ${JSON.stringify(encoding)} cannot be searched`);
}

function decodeValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return utf8(value);
  if (Array.isArray(value)) return value.map(decodeValue);
  if (value === null || typeof value !== 'object') return value;
  if (isPayload(value)) return { decodedPayload: decodePayload(value) };
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, decodeValue(field)]));
}

/** The history as JSON text with every payload decoded: what a person reading it in the UI would see. */
export function decodedHistoryText(history: History): string {
  return JSON.stringify(decodeValue(history.events ?? []));
}
