// A shared module that imports a per-run module: the plugin must refuse to bundle it.
import { workflowInfo } from '@temporalio/workflow';

export const currentRun = (): string => workflowInfo().runId;
