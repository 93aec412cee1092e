// answerWorkflow's shape with none of its work: the same commands in the same order (two local
// activities, one activity, five local activities), each echoing a payload of about the size the
// real step returns. What Temporal alone costs for an answer on this server and worker: its floor.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type * as activities from './activities';

const local = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '10 seconds' });
const remote = proxyActivities<typeof activities>({ startToCloseTimeout: '10 seconds' });

// Bytes each step of a measured answer history carried back (plan 6 KB, passages 3 KB, …).
const firstTask = [6_000, 1_200];
const search = 3_300;
const secondTask = [600, 1_200, 1_500, 650, 1_300];

export async function answerShapeWorkflow(): Promise<number> {
  let bytes = 0;
  for (const size of firstTask) bytes += (await local.echoBytes(size)).length;
  bytes += (await remote.echoBytes(search)).length;
  for (const size of secondTask) bytes += (await local.echoBytes(size)).length;
  return bytes;
}
