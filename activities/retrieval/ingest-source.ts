import { Context } from '@temporalio/activity';
import { createHash } from 'node:crypto';
import type { DocumentOutcome } from '../../contracts/ingest';
import { ingestParsedDocument, type IngestDependencies } from './ingest-document';
import type { ParseOutcome } from './parse-document';

/** Skipped JSON-lines records named in a file's outcome; the rest are counted. */
const reasonsShown = 5;

/** Where an attempt got to, sent as heartbeat details so a retry resumes instead of restarting. */
interface Checkpoint {
  /** Hash of the parsed documents: a changed file must be ingested from the start. */
  contentHash: string;
  nextDocument: number;
  chunks: number;
  replacedChunks: number;
}

/** The last checkpoint of a previous attempt, when running as a retried activity. */
function previousCheckpoint(): Partial<Checkpoint> | undefined {
  try {
    const details: unknown = Context.current().info.heartbeatDetails;
    return typeof details === 'object' && details !== null ? (details as Partial<Checkpoint>) : undefined;
  } catch {
    return undefined; // not inside an activity
  }
}

function heartbeat(details: Checkpoint): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // Not inside an activity.
  }
}

const hashOf = (parsed: ParseOutcome): string => {
  const hash = createHash('sha256');
  for (const document of parsed.documents) hash.update(JSON.stringify([document.documentId, document.title, document.text]));
  return hash.digest('hex');
};

/**
 * Ingests what a parse produced and folds it into one outcome for the source. Heartbeats after
 * each embedded batch with a checkpoint; a retry of the same content (a JSON-lines file of
 * thousands of records after a worker died) resumes at the first unfinished document. Resuming
 * is only an optimisation: every write is idempotent, so redoing a document is harmless.
 */
export async function ingestParsedSource(dependencies: IngestDependencies, tenant: string, documentId: string, parsed: ParseOutcome, isCollection: boolean): Promise<DocumentOutcome> {
  const contentHash = hashOf(parsed);
  const previous = previousCheckpoint();
  const resume = previous?.contentHash === contentHash;
  const checkpoint: Checkpoint = {
    contentHash,
    nextDocument: resume ? (previous.nextDocument ?? 0) : 0,
    chunks: resume ? (previous.chunks ?? 0) : 0,
    replacedChunks: resume ? (previous.replacedChunks ?? 0) : 0,
  };
  const withHeartbeat: IngestDependencies = { ...dependencies, onBatch: () => heartbeat(checkpoint) };
  for (; checkpoint.nextDocument < parsed.documents.length; checkpoint.nextDocument++) {
    const stored = await ingestParsedDocument(withHeartbeat, tenant, parsed.documents[checkpoint.nextDocument]!);
    checkpoint.chunks += stored.chunks;
    checkpoint.replacedChunks += stored.replacedChunks;
    heartbeat({ ...checkpoint, nextDocument: checkpoint.nextDocument + 1 });
  }
  const chunks = checkpoint.chunks;
  let replacedChunks = checkpoint.replacedChunks;
  // Records that were in an earlier version of a JSON-lines file but are gone now. Only after a
  // successful parse with records: a file that became unreadable keeps its last good records.
  if (isCollection && parsed.documents.length > 0) {
    const current = new Set(parsed.documents.map((document) => document.documentId));
    for (const stale of (await dependencies.store.listDocuments(tenant, documentId)).filter((id) => !current.has(id))) {
      replacedChunks += await dependencies.store.deleteDocument(tenant, stale);
    }
  }
  if (!isCollection) {
    if (parsed.documents.length === 0) return { documentId, status: 'skipped', chunks: 0, reason: parsed.skipped[0]?.reason ?? 'empty' };
    return { documentId, status: 'ingested', chunks, replacedChunks };
  }
  const skippedNote = parsed.skipped.length
    ? `${parsed.skipped.length} record(s) skipped: ${parsed.skipped.slice(0, reasonsShown).map((skip) => skip.reason).join('; ')}${parsed.skipped.length > reasonsShown ? '; …' : ''}`
    : undefined;
  if (parsed.documents.length === 0) return { documentId, status: 'skipped', chunks: 0, reason: skippedNote ?? 'empty' };
  return { documentId, status: 'ingested', chunks, replacedChunks, records: parsed.documents.length, ...(skippedNote ? { reason: skippedNote } : {}) };
}
