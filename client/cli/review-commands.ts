import { Command, InvalidArgumentError } from 'commander';
import { readFileSync } from 'node:fs';
import type { ReviewDecision, ReviewOutcome, ReviewView } from '../../contracts/review';
import type { PendingReview } from '../review-client';
import type { WithClient } from './common';
import { withExamples } from './help-examples';
import { jsonOption, printResult, type JsonFlag } from './output';
import { formatPendingReviews, formatReview } from './print-review';

interface DecideOptions extends JsonFlag {
  reviewer: string;
  note?: string;
  text?: string;
  file?: string;
  signal?: boolean;
}

/** The replacement text of an edit, from --text or --file (exactly one). */
function editText(options: DecideOptions): string {
  if ((options.text === undefined) === (options.file === undefined)) {
    throw new InvalidArgumentError('edit needs exactly one of --text <answer> or --file <path>');
  }
  if (options.text !== undefined) return options.text;
  try {
    return readFileSync(options.file!, 'utf8');
  } catch (error) {
    throw new InvalidArgumentError(`cannot read ${options.file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

/** What `review approve|reject|edit` prints: the decision and what the run did with it. */
type DecideReport =
  | ({ workflowId: string; sentAs: 'update' } & ReviewOutcome)
  | { workflowId: string; sentAs: 'signal'; decision: ReviewDecision['decision'] };

function formatDecideReport(report: DecideReport): string {
  if (report.sentAs === 'signal') return `${report.decision} sent as a signal to ${report.workflowId}`;
  return `${report.workflowId}: ${report.record.decision} by ${report.record.reviewer} — ${report.status}`;
}

function decisionOf(kind: 'approve' | 'reject' | 'edit', options: DecideOptions): ReviewDecision {
  const note = options.note;
  if (kind === 'approve') return { decision: 'approve', reviewer: options.reviewer, ...(note ? { note } : {}) };
  // A rejection's reason is its note: one flag to remember.
  if (kind === 'reject') {
    if (!note) throw new InvalidArgumentError('reject needs --note <reason>');
    return { decision: 'reject', reviewer: options.reviewer, reason: note };
  }
  return { decision: 'edit', reviewer: options.reviewer, text: editText(options), ...(note ? { note } : {}) };
}

/** `sluice review list|show|approve|reject|edit`. */
export function registerReviewCommands(program: Command, withClient: WithClient): void {
  const review = program.command('review').description('find and decide answers waiting for a reviewer');
  withExamples(review, [
    'sluice review list -t acme --group support',
    'sluice review approve answer~acme~eu-42 --reviewer alice',
  ]);

  const list = review
    .command('list')
    .description('runs waiting for review (the same filter works in the Temporal UI: see the README)')
    .option('-t, --tenant <tenant>', 'only this tenant')
    .option('--group <group>', 'only this reviewer group')
    .addOption(jsonOption())
    .action(async ({ json, ...filter }: { tenant?: string; group?: string } & JsonFlag) => {
      const reviews = await withClient((client) => client.listReviews(filter));
      printResult({ json }, { reviews }, (data: { reviews: PendingReview[] }) => formatPendingReviews(data.reviews));
    });
  withExamples(list, ['sluice review list', "sluice review list -t acme --json | jq -r '.reviews[].workflowId'"]);

  const show = review
    .command('show')
    .description('what a reviewer needs: question, draft, sources, findings, deadline')
    .argument('<workflow-id>')
    .addOption(jsonOption())
    .action(async (workflowId: string, options: JsonFlag) => {
      const view = await withClient((client) => client.showReview(workflowId));
      printResult(options, { workflowId, ...view }, (data: ReviewView) => formatReview(workflowId, data));
    });
  withExamples(show, ['sluice review show answer~acme~eu-42', 'sluice review show answer~acme~eu-42 --json']);

  for (const kind of ['approve', 'reject', 'edit'] as const) {
    const command = review
      .command(kind)
      .description({
        approve: 'release the draft', reject: 'withhold it (the note is the reason)',
        edit: 'release your text instead (it passes the output gates first)',
      }[kind])
      .argument('<workflow-id>')
      .requiredOption('--reviewer <id>', 'who decides')
      .option('--note <text>', kind === 'reject' ? 'the reason (required)' : 'a note kept with the decision')
      .option('--signal', 'send as a signal (no answer; a refusal is only logged by the run)');
    if (kind === 'edit') {
      command.option('--text <answer>', 'replacement answer').option('--file <path>', 'read it from a file');
    }
    command.addOption(jsonOption()).action(async (workflowId: string, options: DecideOptions) => {
      const decision = decisionOf(kind, options);
      const report = await withClient(async (client): Promise<DecideReport> => {
        if (options.signal) {
          await client.signalReview(workflowId, decision);
          return { workflowId, sentAs: 'signal', decision: decision.decision };
        }
        return { workflowId, sentAs: 'update', ...(await client.decideReview(workflowId, decision)) };
      });
      printResult(options, report, formatDecideReport);
    });
    withExamples(command, decideExamples[kind]);
  }
}

const decideExamples = {
  approve: [
    'sluice review approve answer~acme~eu-42 --reviewer alice --note "checked the sources"',
    'sluice review approve answer~acme~eu-42 --reviewer alice --json',
  ],
  reject: ['sluice review reject answer~acme~eu-42 --reviewer alice --note "cites the wrong policy"'],
  edit: [
    'sluice review edit answer~acme~eu-42 --reviewer alice --text "Refunds take 5 days [1]."',
    'sluice review edit answer~acme~eu-42 --reviewer alice --file answer.txt',
  ],
} as const;
