// The exit codes of `sluice`, and which error means which. Scripts branch on these numbers, so a
// code never changes meaning; the README's "CLI" section has the same table.
import { CommanderError } from 'commander';
import { ConfigError } from '../../contracts/config';
import { errorTypes } from '../../contracts/error-types';
import type { AnswerStatus } from '../../contracts/answer';
import { BudgetRefusedError } from '../budget-client';
import {
  ApiKeyFileError, ExecutionConflictError, InvalidRequestError, ReviewRefusedError, SluiceClientError,
  TemporalUnavailableError, UnknownApiKeyError, UnknownRunError, WorkflowRunError,
} from '../errors';

/** Exit codes; 69 and 78 are sysexits.h's EX_UNAVAILABLE and EX_CONFIG. */
export const exitCodes = {
  ok: 0,
  /** A run failed, or an error nobody planned for. */
  failed: 1,
  /** A bad command, argument or option, or input the request (or its run) refused as invalid. */
  usage: 2,
  /** No such workflow id, API key or tenant. */
  notFound: 3,
  /** Refused by policy: a review decision, a budget, an id of another tenant, a blocked or rejected answer. */
  refused: 4,
  /** `ask` without `--wait` returned while its run waits for a reviewer. */
  pending: 5,
  /** The Temporal server cannot be reached. */
  unavailable: 69,
  /** The environment holds a bad setting, or the gateway's key file cannot be read. */
  config: 78,
} as const;
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** An error as `sluice` reports it: a stable code name for scripts, a one-line message, the exit code. */
export interface CliFailure {
  code: string;
  message: string;
  exitCode: ExitCode;
  /** False for errors nobody planned for: SLUICE_DEBUG=1 shows their stack. */
  expected: boolean;
  /** The run that failed, when the error names one. */
  workflowId?: string;
  /** The failure type of a failed run (contracts/error-types.ts), when known. */
  failureType?: string;
}

/** Failure types of a run that say the request itself was wrong: retrying it unchanged cannot help. */
const invalidInputTypes: ReadonlySet<string> = new Set([
  errorTypes.invalidInput, errorTypes.sourceNotFound, errorTypes.unreadableSource, errorTypes.contextWindowExceeded,
]);
/** Failure types of a run that named something that does not exist (for the caller's tenant). */
const notFoundTypes: ReadonlySet<string> = new Set([errorTypes.unknownTenant, errorTypes.unknownRun]);
/** Failure types of a run that a policy caused. */
const refusedTypes: ReadonlySet<string> = new Set([errorTypes.sourceNotAllowed, errorTypes.policyViolation]);

const failure = (code: string, exitCode: ExitCode, message: string, expected = true): CliFailure =>
  ({ code, message, exitCode, expected });

/** The code of a commander error; `null` for `--help` and `--version`, which are not failures. */
function commanderFailure(error: CommanderError): CliFailure | null {
  if (error.exitCode === 0) return null;
  // `sluice review` without a subcommand: commander shows the help (on stderr) instead of a message.
  if (error.code === 'commander.help') return failure('usage', exitCodes.usage, 'a command is missing; see --help');
  return failure('usage', exitCodes.usage, error.message.replace(/^error: /, ''));
}

/** A failed run: by its failure type, the request was wrong, a policy refused it, or the run failed. */
function runFailure(error: WorkflowRunError): CliFailure {
  const type = error.failureType ?? '';
  const [code, exitCode]: [string, ExitCode] = invalidInputTypes.has(type) ? ['invalid_input', exitCodes.usage]
    : refusedTypes.has(type) ? ['refused', exitCodes.refused]
    : notFoundTypes.has(type) ? ['not_found', exitCodes.notFound]
    : ['run_failed', exitCodes.failed];
  return {
    ...failure(code, exitCode, error.message),
    workflowId: error.workflowId, ...(error.failureType !== undefined ? { failureType: error.failureType } : {}),
  };
}

/** What an error means for a script: its code name, message and exit code; `null` when it is no failure. */
export function classifyError(error: unknown): CliFailure | null {
  if (error instanceof CommanderError) return commanderFailure(error);
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof InvalidRequestError) return failure('invalid_request', exitCodes.usage, message);
  if (error instanceof UnknownRunError || error instanceof UnknownApiKeyError) {
    return failure('not_found', exitCodes.notFound, message);
  }
  if (error instanceof ReviewRefusedError) return failure('review_refused', exitCodes.refused, message);
  if (error instanceof BudgetRefusedError) return failure('budget_refused', exitCodes.refused, message);
  if (error instanceof ExecutionConflictError) return failure('conflict', exitCodes.refused, message);
  if (error instanceof TemporalUnavailableError) return failure('unavailable', exitCodes.unavailable, message);
  if (error instanceof ConfigError || error instanceof ApiKeyFileError) {
    return failure('config', exitCodes.config, message);
  }
  if (error instanceof WorkflowRunError) return runFailure(error);
  if (error instanceof SluiceClientError) return failure('failed', exitCodes.failed, message);
  return failure('internal', exitCodes.failed, message, false);
}

/** Answers that were not released: still printed, but a script must not pass them on as answers. */
const withheldStatuses: ReadonlySet<AnswerStatus> = new Set(['blocked', 'rejected']);

/** The exit code of `sluice ask`: pending without `--wait`, refused when withheld, else ok. */
export function askExitCode(outcome: { result: { status: AnswerStatus } } | { pendingReview: unknown }): ExitCode {
  if ('pendingReview' in outcome) return exitCodes.pending;
  return withheldStatuses.has(outcome.result.status) ? exitCodes.refused : exitCodes.ok;
}
