import type { Client } from '@temporalio/client';
import { GateConfig, gateSetConfigSchema, type GateSetConfig } from '../../contracts/gate-config';
import { errorTypes } from '../../contracts/error-types';
import {
  gateNames, type GateDecision, type GateEvidence, type InputGateResult, type OutputGateResult, type SealedRedactions,
} from '../../contracts/gates';
import { invalidInput, nonRetryable } from '../failures';
import { countGateDecision } from '../telemetry/activity-metrics';
import { activityLogAudit, auditRecords, type GateAuditRecord, type GateAuditSink } from './audit';
import { backtestGatePage, type BacktestPage, type BacktestPageInput } from './backtest/backtest-page';
import type { Gate, GateContext } from './gate';
import type { OutputSchemaRegistry } from './output/structured-output-gate';
import { restorePlaceholders } from './pii/redaction';
import { RedactionSealer, RedactionSealError } from './pii/redaction-seal';
import { buildInputGates, buildOutputGates, type ConfiguredGate } from './runner/build-gates';
import { runInputGateSet, runOutputGateSet } from './runner/run-gates';

export interface GateActivityOptions {
  /** Validated gate configuration; defaults everywhere when absent. */
  config?: GateConfig;
  /** Replaces the configured input gates for every tenant (tests, custom deployments). */
  inputGates?: readonly Gate[];
  /** Seals redaction maps; by default from SLUICE_REDACTION_KEY or a key file under SLUICE_DATA_DIR. */
  sealer?: RedactionSealer;
  /** zod schemas the structured-output gate validates against, by name. */
  outputSchemas?: OutputSchemaRegistry;
  /** Where audit records go; the activity logger by default. */
  audit?: GateAuditSink;
  /** Temporal client used by backtesting to read past executions. */
  client?: Client;
}

const closedByDefault = { mode: 'closed', closedAction: 'block', timeoutMs: 2_000 } as const;

/** Gate activities: input and output gate sets, passage scanning, restoring redactions, backtesting. */
export function createGateActivities(options: GateActivityOptions = {}) {
  const config = options.config ?? new GateConfig({});
  const auditSink = options.audit ?? activityLogAudit;
  const audit = (record: GateAuditRecord): void => {
    countGateDecision(record);
    auditSink(record);
  };
  const outputSchemas = options.outputSchemas ?? {};
  const customInputGates: ConfiguredGate[] | undefined =
    options.inputGates?.map((gate) => ({ gate, failure: closedByDefault }));
  let sealer = options.sealer;
  // The key file is only read (or created) once something is actually redacted.
  const getSealer = (): RedactionSealer =>
    (sealer ??= RedactionSealer.fromEnvironment(process.env, process.env.SLUICE_DATA_DIR || '.data'));
  // A run pins its gate set at its start (resolveAnswerPlan) and passes it back, so a run that waits
  // days for a reviewer is judged by the policy it started under, not today's file.
  const gateSetFor = (context: GateContext, pinned: GateSetConfig | undefined): GateSetConfig =>
    pinned ? gateSetConfigSchema.parse(pinned) : config.resolve(context.tenant, context.feature);
  const inputGatesFor = (context: GateContext, pinned?: GateSetConfig) =>
    customInputGates ?? buildInputGates(gateSetFor(context, pinned));

  // The sealed map opens only for the same tenant and request it was made for.
  const binding = (tenant: string, requestId?: string) => (requestId ? `${tenant}/${requestId}` : tenant);

  async function runInputGates(
    input: GateContext & { text: string; requestId?: string; gateSet?: GateSetConfig },
  ): Promise<InputGateResult> {
    const context = { tenant: input.tenant, feature: input.feature };
    const run = await runInputGateSet(inputGatesFor(context, input.gateSet), input.text, context);
    for (const record of auditRecords('input', context, run.decisions, input.text.length)) audit(record);
    const sealedRedactions = run.redactions
      ? getSealer().seal(run.redactions, binding(input.tenant, input.requestId))
      : undefined;
    return {
      action: run.action, decisions: run.decisions, text: run.text, intent: run.intent,
      ...(sealedRedactions ? { sealedRedactions } : {}),
    };
  }

  return {
    /**
     * Runs the input gates and returns their decisions (the answer workflow's original contract).
     * A `redact` decision carries the redacted text; its map is not kept, so prefer runInputGates.
     */
    async checkInput(input: GateContext & { text: string }): Promise<GateDecision[]> {
      const context = { tenant: input.tenant, feature: input.feature };
      const run = await runInputGateSet(inputGatesFor(context), input.text, context);
      for (const record of auditRecords('input', context, run.decisions, input.text.length)) audit(record);
      return run.decisions;
    },

    /** Input gates (injection, PII, policy): overall action, decisions, redacted text, sealed map, intent. */
    runInputGates,

    /** Scans retrieved passages for indirect injection; returns the ids of passages to drop. */
    async scanRetrievedPassages(input: {
      tenant: string; feature: string; passages: { id: string; text: string }[]; gateSet?: GateSetConfig;
    }): Promise<{ flaggedIds: string[]; decisions: GateDecision[] }> {
      const context: GateContext = { tenant: input.tenant, feature: input.feature, source: 'document' };
      const injection = inputGatesFor(context, input.gateSet)
        .filter((configured) => configured.gate.name === 'prompt-injection');
      const flaggedIds: string[] = [];
      const decisions: GateDecision[] = [];
      for (const passage of input.passages) {
        const run = await runInputGateSet(injection, passage.text, context);
        if (run.action === 'allow') continue;
        flaggedIds.push(passage.id);
        // Recorded as a redaction of the context, not a block: the request goes on without the passage.
        decisions.push(...run.decisions.filter((decision) => decision.action !== 'allow').map((decision) => ({
          ...decision, gate: gateNames.passageInjection, action: 'redact' as const,
          reasons: decision.reasons.map((reason) => `passage ${passage.id} dropped: ${reason}`),
        })));
      }
      for (const record of auditRecords('input', context, decisions, 0)) audit(record);
      return { flaggedIds, decisions };
    },

    /** Output gates (structured output, PII leak, groundedness, safety) on the model's answer. */
    async runOutputGates(input: {
      tenant: string; feature: string; text: string; evidence: GateEvidence[]; gateSet?: GateSetConfig;
    }): Promise<OutputGateResult> {
      const context: GateContext = { tenant: input.tenant, feature: input.feature, evidence: input.evidence };
      const gateSet = gateSetFor(context, input.gateSet);
      const run = await runOutputGateSet(buildOutputGates(gateSet, outputSchemas), input.text, context);
      for (const record of auditRecords('output', context, run.decisions, input.text.length)) audit(record);
      return run;
    },

    /**
     * Puts redacted values back into the final answer for the requesting tenant's user; a map this
     * worker cannot open fails with the non-retryable type `RedactionRestoreFailed`.
     */
    async restoreRedactions(input: {
      tenant: string; requestId?: string; text: string; sealed: SealedRedactions;
    }): Promise<string> {
      try {
        return restorePlaceholders(input.text, getSealer().open(input.sealed, binding(input.tenant, input.requestId)));
      } catch (error) {
        if (error instanceof RedactionSealError) throw nonRetryable(errorTypes.redactionRestoreFailed, error.message);
        throw error;
      }
    },

    /** One page of a backtest: re-runs a candidate config over past answer executions, no model calls. */
    async backtestGatePage(input: BacktestPageInput): Promise<BacktestPage> {
      if (!options.client) {
        throw invalidInput('backtesting needs a Temporal client: pass `client` to the gate activities');
      }
      return backtestGatePage(options.client, input, outputSchemas);
    },
  };
}
