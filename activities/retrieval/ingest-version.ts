import { Context } from '@temporalio/activity';
import { createHash } from 'node:crypto';

// Versions are milliseconds × 1000 plus a tiebreak below 1000: integers under 2^53, so exact in
// a JS number, a Qdrant integer and a LanceDB float64.
const tiebreakRange = 1000;
let directCalls = 0;
// A mocked activity (MockActivityEnvironment) reports a fixed schedule time of 1 ms: every ingest
// would share one version, so schedule times before this are treated as no activity at all.
const plausibleScheduleTimeMs = Date.UTC(2020, 0, 1);

/** The running activity's info, when inside a real (not mocked) activity. */
function scheduledActivity(): Context['info'] | undefined {
  let info: Context['info'];
  try {
    info = Context.current().info;
  } catch {
    return undefined;
  }
  return info.scheduledTimestampMs >= plausibleScheduleTimeMs ? info : undefined;
}

/**
 * The version an ingest writes its chunks with; the higher version of a document wins. Inside an
 * activity it comes from the time the workflow first scheduled the activity, so every retry of
 * one ingest writes the same version (idempotent) and the ingest requested later wins; the
 * tiebreak separates two ingests scheduled in the same millisecond. Called directly (tests,
 * scripts), it is the wall clock with a per-process counter.
 */
export function ingestVersion(): number {
  const info = scheduledActivity();
  if (!info) {
    directCalls = (directCalls + 1) % tiebreakRange;
    return Date.now() * tiebreakRange + directCalls;
  }
  const key = `${info.workflowExecution?.workflowId ?? ''}/${info.workflowExecution?.runId ?? ''}/${info.activityId}`;
  const tiebreak = createHash('sha256').update(key).digest().readUInt32BE(0) % tiebreakRange;
  return info.scheduledTimestampMs * tiebreakRange + tiebreak;
}
