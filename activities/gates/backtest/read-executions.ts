import type { Client } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import {
  answerRequestSchema,
  answerResultSchema,
  type AnswerRequest,
  type AnswerResult,
} from '../../../contracts/answer';
import { outputGateInputFrom, type OutputGateInput } from './output-gate-input';

/**
 * A past answer execution as recorded in its history: the request and, if it completed, the
 * result.
 */
export interface RecordedAnswer {
  workflowId: string;
  runId: string;
  request: AnswerRequest;
  result?: AnswerResult;
  /** What the execution's output gates were given, when they ran (not the restored final answer). */
  outputGateInput?: OutputGateInput;
}

/** One page of executions matching a visibility query, decoded from their histories. */
export async function readRecordedAnswers(
  client: Client,
  query: string,
  pageSize: number,
  nextPageToken?: string,
): Promise<{ recorded: RecordedAnswer[]; unreadable: number; nextPageToken?: string }> {
  const page = await client.workflowService.listWorkflowExecutions({
    namespace: client.options.namespace,
    query,
    pageSize,
    ...(nextPageToken ? { nextPageToken: Buffer.from(nextPageToken, 'base64') } : {}),
  });
  const converter = client.options.loadedDataConverter;
  const recorded: RecordedAnswer[] = [];
  let unreadable = 0;
  for (const execution of page.executions ?? []) {
    const workflowId = execution.execution?.workflowId ?? '';
    const runId = execution.execution?.runId ?? '';
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    let request: AnswerRequest | undefined;
    let result: AnswerResult | undefined;
    for (const event of history.events ?? []) {
      const started = event.workflowExecutionStartedEventAttributes;
      if (started)
        request = answerRequestSchema.safeParse(
          await decodeFromPayloadsAtIndex(converter, 0, started.input?.payloads),
        ).data;
      const completed = event.workflowExecutionCompletedEventAttributes;
      if (completed)
        result = answerResultSchema.safeParse(
          await decodeFromPayloadsAtIndex(converter, 0, completed.result?.payloads),
        ).data;
    }
    // Executions whose input no longer parses (an older contract) are counted, not guessed at.
    if (!request) {
      unreadable += 1;
      continue;
    }
    const outputGateInput = await outputGateInputFrom(
      history.events ?? [], (payloads) => decodeFromPayloadsAtIndex(converter, 0, payloads),
    );
    recorded.push({
      workflowId, runId, request, ...(result ? { result } : {}), ...(outputGateInput ? { outputGateInput } : {}),
    });
  }
  const token =
    page.nextPageToken && page.nextPageToken.length > 0
      ? Buffer.from(page.nextPageToken).toString('base64')
      : undefined;
  return { recorded, unreadable, ...(token ? { nextPageToken: token } : {}) };
}
