import { CommanderError, InvalidArgumentError } from 'commander';
import { BudgetRefusedError } from '../../../../client/budget-client';
import { askExitCode, classifyError, exitCodes } from '../../../../client/cli/exit-codes';
import {
  ApiKeyFileError, ExecutionConflictError, InvalidRequestError, ReviewRefusedError, SluiceClientError,
  TemporalUnavailableError, UnknownApiKeyError, UnknownRunError, WorkflowRunError,
} from '../../../../client/errors';
import { ConfigError } from '../../../../contracts/config';
import type { AnswerStatus } from '../../../../contracts/answer';

describe('the exit codes of sluice', () => {
  it('keeps the documented numbers (scripts depend on them)', () => {
    expect(exitCodes).toEqual({
      ok: 0, failed: 1, usage: 2, notFound: 3, refused: 4, pending: 5, unavailable: 69, config: 78,
    });
  });

  it.each([
    [new InvalidArgumentError('reject needs --note <reason>'), 'usage', 2],
    [new CommanderError(1, 'commander.unknownOption', "error: unknown option '--nope'"), 'usage', 2],
    [new CommanderError(1, 'commander.help', '(outputHelp)'), 'usage', 2],
    [new InvalidRequestError('question: must not be empty'), 'invalid_request', 2],
    [new UnknownRunError('no run has the workflow id answer~acme~1'), 'not_found', 3],
    [new UnknownApiKeyError('no key has the id 1f'), 'not_found', 3],
    [new ReviewRefusedError('answer~acme~1 has finished; it takes no decision'), 'review_refused', 4],
    [new BudgetRefusedError('maxTokens: must be positive'), 'budget_refused', 4],
    [new ExecutionConflictError('answer~acme~1 is already used by another run'), 'conflict', 4],
    [new TemporalUnavailableError('cannot reach the Temporal server at 127.0.0.1:1'), 'unavailable', 69],
    [new ConfigError('invalid configuration: SLUICE_TEMPORAL_TLS: must be a boolean'), 'config', 78],
    [new ApiKeyFileError('keys.json is not JSON'), 'config', 78],
    [new SluiceClientError('a search attribute exists with another type'), 'failed', 1],
    [new Error('socket hang up'), 'internal', 1],
  ])('maps %p to %s, exit %i', (error, code, exitCode) => {
    expect(classifyError(error)).toMatchObject({ code, exitCode, expected: code !== 'internal' });
  });

  it('keeps the message as the user reads it, without commander\'s "error: " prefix', () => {
    const error = new CommanderError(1, 'commander.missingArgument', "error: missing required argument 'path'");
    expect(classifyError(error)?.message).toBe("missing required argument 'path'");
    expect(classifyError(new UnknownRunError('no run has the workflow id x'))?.message)
      .toBe('no run has the workflow id x');
  });

  it('treats --help and --version as no failure', () => {
    expect(classifyError(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toBeNull();
    expect(classifyError(new CommanderError(0, 'commander.version', '0.1.0'))).toBeNull();
  });

  it.each([
    ['InvalidInput', 'invalid_input', 2],
    ['SourceNotFound', 'invalid_input', 2],
    ['UnreadableSource', 'invalid_input', 2],
    ['SourceNotAllowed', 'refused', 4],
    ['PolicyViolation', 'refused', 4],
    ['UnknownTenant', 'not_found', 3],
    ['UnknownRun', 'not_found', 3],
    ['ProviderUnavailable', 'run_failed', 1],
    [undefined, 'run_failed', 1],
  ])('maps a run that failed with %p to %s, exit %i, naming the run', (failureType, code, exitCode) => {
    const failure = classifyError(new WorkflowRunError('it failed', 'ingest~acme~1', failureType));
    expect(failure).toEqual({
      code, exitCode, message: 'it failed', expected: true, workflowId: 'ingest~acme~1',
      ...(failureType ? { failureType } : {}),
    });
  });

  it.each<[AnswerStatus, number]>([
    ['answered', 0], ['degraded', 0], ['no_context', 0], ['blocked', 4], ['rejected', 4],
  ])('exits ask with an answer of status %s with %i', (status, exitCode) => {
    expect(askExitCode({ result: { status } })).toBe(exitCode);
  });

  it('exits ask with 5 while its run waits for a reviewer', () => {
    expect(askExitCode({ pendingReview: { state: 'pending' } })).toBe(exitCodes.pending);
  });
});
