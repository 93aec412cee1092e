import type { Client } from '@temporalio/client';
import { GateConfig, GateConfigError, type BacktestChange } from '../../../contracts/gate-config';
import { gateNames, strictestAction, type GateDecision } from '../../../contracts/gates';
import { invalidInput } from '../../failures';
import type { OutputSchemaRegistry } from '../output/structured-output-gate';
import { buildInputGates, buildOutputGates } from '../runner/build-gates';
import { runInputGateSet, runOutputGateSet } from '../runner/run-gates';
import { readRecordedAnswers, type RecordedAnswer } from './read-executions';

export interface BacktestPageInput {
  /** The candidate gate configuration (same shape as the worker's), validated here. */
  candidateConfig: unknown;
  /** Visibility query selecting the executions to replay. */
  query: string;
  pageSize: number;
  nextPageToken?: string;
}


export interface BacktestPage {
  examined: number;
  /** Executions whose recorded input could not be read. */
  unreadable: number;
  /** Executions whose overall input or output action would change. */
  changedExecutions: string[];
  changes: BacktestChange[];
  nextPageToken?: string;
}

const inputGateNames: ReadonlySet<string> = new Set([gateNames.injection, gateNames.pii, gateNames.policy]);
const outputGateNames: ReadonlySet<string> = new Set([
  gateNames.piiLeak,
  gateNames.groundedness,
  gateNames.schema,
  gateNames.safety,
]);

function compare(
  workflowId: string,
  stage: 'input' | 'output',
  before: readonly GateDecision[],
  after: readonly GateDecision[],
): BacktestChange[] {
  const names = new Set([...before.map((decision) => decision.gate), ...after.map((decision) => decision.gate)]);
  const changes: BacktestChange[] = [];
  for (const gate of names) {
    const old = before.find((decision) => decision.gate === gate);
    const candidate = after.find((decision) => decision.gate === gate);
    // A gate that did not run let the text through, so absent and allow are the same decision.
    if ((old?.action ?? 'allow') === (candidate?.action ?? 'allow')) continue;
    changes.push({
      workflowId,
      stage,
      gate,
      before: old?.action ?? 'absent',
      after: candidate?.action ?? 'absent',
      reasons: candidate?.reasons ?? [],
    });
  }
  return changes;
}

async function replayOne(
  config: GateConfig,
  recorded: RecordedAnswer,
  schemas: OutputSchemaRegistry,
): Promise<{ changes: BacktestChange[]; changed: boolean }> {
  const { request, result, workflowId } = recorded;
  const gateSet = config.resolve(request.tenant, request.feature);
  const context = { tenant: request.tenant, feature: request.feature };
  const oldInput = (result?.gateDecisions ?? []).filter((decision) => inputGateNames.has(decision.gate));
  const newInput = await runInputGateSet(buildInputGates(gateSet), request.question, context);
  const changes = compare(workflowId, 'input', oldInput, newInput.decisions);
  let changed = strictestAction(oldInput) !== newInput.action;
  // Output gates are replayed on exactly what the pipeline gave them, and only where they ran.
  if (recorded.outputGateInput) {
    const oldOutput = (result?.gateDecisions ?? []).filter((decision) => outputGateNames.has(decision.gate));
    const { text, evidence } = recorded.outputGateInput;
    const newOutput = await runOutputGateSet(buildOutputGates(gateSet, schemas), text, { ...context, evidence });
    changes.push(...compare(workflowId, 'output', oldOutput, newOutput.decisions));
    changed ||= strictestAction(oldOutput) !== newOutput.action;
  }
  return { changes, changed };
}

/**
 * Reads one page of past executions and reports where the candidate config would decide
 * differently.
 */
export async function backtestGatePage(
  client: Client,
  input: BacktestPageInput,
  schemas: OutputSchemaRegistry,
): Promise<BacktestPage> {
  let config: GateConfig;
  try {
    config = new GateConfig(input.candidateConfig);
  } catch (error) {
    if (error instanceof GateConfigError) throw invalidInput(error.message);
    throw error;
  }
  const page = await readRecordedAnswers(client, input.query, input.pageSize, input.nextPageToken);
  const changes: BacktestChange[] = [];
  const changedExecutions: string[] = [];
  for (const recorded of page.recorded) {
    const replayed = await replayOne(config, recorded, schemas);
    changes.push(...replayed.changes);
    if (replayed.changed) changedExecutions.push(recorded.workflowId);
  }
  return {
    examined: page.recorded.length,
    unreadable: page.unreadable,
    changedExecutions,
    changes,
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
  };
}
