import { log } from '@temporalio/activity';
import type { GateDecision, GateStage } from '../../contracts/gates';

/** One audit record per gate decision: who, which gate, what it decided and why; never the text. */
export interface GateAuditRecord {
  stage: GateStage;
  tenant: string;
  feature: string;
  gate: string;
  action: GateDecision['action'];
  scores: Record<string, number>;
  reasons: string[];
  unchecked: boolean;
  /** Length of the checked text, so an auditor can tell an empty input from a long one. */
  textLength: number;
}

export type GateAuditSink = (record: GateAuditRecord) => void;

/** Writes audit records through the activity logger (which tags them with workflow and activity ids). */
export const activityLogAudit: GateAuditSink = (record) => log.info('gate decision', { ...record });

/** Audit records of a set of decisions. Reasons are written by gates and never quote the text. */
export function auditRecords(stage: GateStage, context: { tenant: string; feature: string }, decisions: readonly GateDecision[], textLength: number): GateAuditRecord[] {
  return decisions.map((decision) => ({
    stage, tenant: context.tenant, feature: context.feature, gate: decision.gate, action: decision.action,
    scores: decision.scores, reasons: decision.reasons, unchecked: decision.unchecked, textLength,
  }));
}
