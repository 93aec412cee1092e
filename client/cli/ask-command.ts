// `sluice ask`: run the answer pipeline, print the answer (or how to decide a run left waiting for review).
import { InvalidArgumentError, type Command } from 'commander';
import type { AskOutcome } from '../sluice-client';
import { defaultTenant, type WithClient } from './common';
import { askExitCode } from './exit-codes';
import { withExamples } from './help-examples';
import { jsonOption, printNotice, printResult } from './output';
import { formatAnswer } from './print-answer';
import { printAnswerStream } from './print-stream';
import { decideCommands } from './print-review';

interface AskOptions {
  tenant: string;
  topK?: number;
  requestId?: string;
  user?: string;
  route?: string;
  wait?: boolean;
  stream?: boolean;
  json?: boolean;
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('must be a positive integer');
  return parsed;
}

/** Adds `ask <question>` to the CLI. */
export function registerAskCommand(program: Command, withClient: WithClient): void {
  const ask = program
    .command('ask')
    .description('answer a question from the ingested documents')
    .argument('<question>', 'the question')
    .option('-t, --tenant <tenant>', 'tenant whose documents to search', defaultTenant)
    .option('-k, --top-k <n>', 'passages to retrieve', positiveInteger)
    .option('--request-id <id>', 'business id; asking again with it returns the same execution')
    .option('--user <id>', 'who asks: keeps their A/B variant, and they may not review their own request')
    .option('--route <route>', 'model catalog route (its review and refine policies apply)')
    .option('--wait', 'if the answer goes to review, wait for the decision (else exit 5 at once)')
    .option('--stream', 'print the answer as the model writes it (gated text only), then citations and status')
    .addOption(jsonOption())
    .action(async (question: string, options: AskOptions) => {
      const input = {
        tenant: options.tenant, question, topK: options.topK, requestId: options.requestId, userId: options.user,
        route: options.route,
      };
      await withClient(async (client) => {
        if (options.stream) {
          const last = await printAnswerStream(client.askStream(input, { waitForReview: options.wait ?? false }), {
            json: options.json, uiUrl: (workflowId, runId) => client.executionUrl(workflowId, runId),
          });
          if (last?.type === 'final') process.exitCode = askExitCode(last);
          if (last?.type === 'pending_review') process.exitCode = askExitCode({ pendingReview: last });
          return;
        }
        const submitted = await client.submit(input);
        if ('pendingReview' in submitted) {
          const { group, deadline } = submitted.pendingReview;
          printNotice(
            `${submitted.workflowId} is waiting for review by ${group ?? 'a reviewer'} until ${deadline ?? '?'}; ` +
            `decide it with:\n${decideCommands(submitted.workflowId)}`,
          );
          if (!options.wait) {
            // Text mode has no answer to print yet: the notice above says what to do.
            if (options.json) printResult(options, submitted, () => '');
            process.exitCode = askExitCode(submitted);
            return;
          }
          printNotice('waiting for the decision (Ctrl-C stops waiting; the run goes on and keeps its id)…');
        }
        const outcome: AskOutcome = 'pendingReview' in submitted
          ? { ...withoutPending(submitted), result: await client.waitForAnswer(submitted.workflowId) }
          : submitted;
        printResult(options, outcome, (answer) => formatAnswer(answer));
        process.exitCode = askExitCode(outcome);
      });
    });
  withExamples(ask, [
    'sluice ask "How does Sluice keep a workflow alive when a worker crashes?"',
    'sluice ask --route reviewed --request-id eu-42 --wait "What is our refund policy?"',
    "sluice ask --json -t acme \"What is Temporal?\" | jq -r '.result.answer'",
    'sluice ask --stream "Summarise the durability guarantees"',
  ]);
}

function withoutPending<T extends { pendingReview: unknown }>(submitted: T): Omit<T, 'pendingReview'> {
  const { pendingReview: _pendingReview, ...ref } = submitted;
  return ref;
}
