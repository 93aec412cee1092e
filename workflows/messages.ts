// Signals, queries and updates, kept apart from workflow code so clients import only these.
import { defineQuery } from '@temporalio/workflow';
import type { IngestProgress } from '../contracts/ingest';
import { messageNames } from '../contracts/workflow-types';

/** How far an ingest has got. */
export const ingestProgressQuery = defineQuery<IngestProgress>(messageNames.ingestProgressQuery);
