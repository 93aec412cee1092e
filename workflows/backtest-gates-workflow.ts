import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { SluiceActivities } from '../activities';
import { backtestRequestSchema, type BacktestReport } from '../contracts/gate-config';
import { workflowVersioning } from '../contracts/worker-deployment';
import { backtestPreset } from './activity-presets';
import { parseWorkflowInput } from './parse-input';
import { declareVersioning } from './versioning';

const backtest = proxyActivities<SluiceActivities>(backtestPreset);

/**
 * Judges a candidate gate configuration on production traffic before it ships: re-runs it over
 * the requests and answers recorded in past answer executions (read from their histories by an
 * activity, no model calls) and reports which decisions would change. Raw text never enters
 * this workflow's history; only workflow ids, gate names, actions and reasons do.
 */
export async function backtestGatesWorkflow(rawRequest: unknown): Promise<BacktestReport> {
  const request = parseWorkflowInput(backtestRequestSchema, rawRequest);
  const report: BacktestReport = { examined: 0, unreadable: 0, changedExecutions: 0, transitions: {}, changes: [], truncated: false };
  let nextPageToken: string | undefined;
  do {
    setCurrentDetails(`examined ${report.examined} execution(s), ${report.changedExecutions} would change`);
    const pageSize = Math.min(request.pageSize, request.maxExecutions - report.examined - report.unreadable);
    const page = await backtest.backtestGatePage({ candidateConfig: request.candidateConfig, query: request.query, pageSize, ...(nextPageToken ? { nextPageToken } : {}) });
    report.examined += page.examined;
    report.unreadable += page.unreadable;
    report.changedExecutions += page.changedExecutions.length;
    for (const change of page.changes) {
      const transition = `${change.before}→${change.after}`;
      const counts = (report.transitions[change.gate] ??= {});
      counts[transition] = (counts[transition] ?? 0) + 1;
      if (report.changes.length < request.maxChangesListed) report.changes.push(change);
      else report.truncated = true;
    }
    nextPageToken = page.nextPageToken;
  } while (nextPageToken && report.examined + report.unreadable < request.maxExecutions);
  setCurrentDetails(`done: ${report.changedExecutions} of ${report.examined} execution(s) would change`);
  return report;
}

// How runs of this type move to a new build (contracts/worker-deployment.ts says why).
declareVersioning(backtestGatesWorkflow, workflowVersioning.backtestGates);
