// answerWorkflow's shape with none of its work: the same commands in the same order (two local
// activities, one activity, five local activities), each echoing a payload of about the size the
// real step returns. What Temporal alone costs for an answer on this server and worker: its floor.
import { condition, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type * as activities from './activities';
import { shapeResultUpdate, type Bookkeeping } from './result-update';

const local = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '10 seconds' });
const remote = proxyActivities<typeof activities>({ startToCloseTimeout: '10 seconds' });

// Bytes each step of a measured answer history carried back (plan 6 KB, passages 3 KB, …).
const firstTask = [6_000, 1_200];
const search = 3_300;
const secondTask = [600, 1_200, 1_500, 650, 1_300];
/** About what the answer cache stores after an answer (the entry with its vector). */
const bookkeepingBytes = 2_000;

async function answerShape(): Promise<number> {
  let bytes = 0;
  for (const size of firstTask) bytes += (await local.echoBytes(size)).length;
  bytes += (await remote.echoBytes(search)).length;
  for (const size of secondTask) bytes += (await local.echoBytes(size)).length;
  return bytes;
}

export async function answerShapeWorkflow(): Promise<number> {
  return answerShape();
}

/**
 * The same shape, its result also offered through `shapeResultUpdate` the moment it exists, then the
 * bookkeeping steps: what update-with-start can save a caller (bench/pipeline/update-with-start.ts).
 */
export async function answerShapeWithUpdateWorkflow(bookkeeping: Bookkeeping): Promise<number> {
  let result: number | undefined;
  setHandler(shapeResultUpdate, async () => {
    await condition(() => result !== undefined);
    return result!;
  });
  result = await answerShape();
  if (bookkeeping === 'local') await local.echoBytes(bookkeepingBytes);
  if (bookkeeping === 'activity') await remote.echoBytes(bookkeepingBytes);
  return result;
}
