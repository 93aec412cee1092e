// The update the update-with-start probe (bench/pipeline/update-with-start.ts) waits on: the shape's result,
// returned as soon as the workflow has it, while the steps after it (bookkeeping) still run.
import { defineUpdate } from '@temporalio/workflow';

export const shapeResultUpdate = defineUpdate<number>('shapeResult');

/** What runs after the result exists: nothing, one local activity, or one activity on the task queue. */
export type Bookkeeping = 'none' | 'local' | 'activity';
