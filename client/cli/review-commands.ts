import { Command, InvalidArgumentError } from 'commander';
import { readFileSync } from 'node:fs';
import type { ReviewDecision } from '../../contracts/review';
import type { WithClient } from './common';
import { formatPendingReviews, formatReview } from './print-review';


interface DecideOptions {
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

  review
    .command('list')
    .description('runs waiting for review (the same filter works in the Temporal UI: see the README)')
    .option('-t, --tenant <tenant>', 'only this tenant')
    .option('--group <group>', 'only this reviewer group')
    .action(async (options: { tenant?: string; group?: string }) => {
      const reviews = await withClient((client) => client.listReviews(options));
      process.stdout.write(`${formatPendingReviews(reviews)}\n`);
    });

  review
    .command('show')
    .description('what a reviewer needs: question, draft, sources, findings, deadline')
    .argument('<workflow-id>')
    .action(async (workflowId: string) => {
      const view = await withClient((client) => client.showReview(workflowId));
      process.stdout.write(`${formatReview(workflowId, view)}\n`);
    });

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
    command.action(async (workflowId: string, options: DecideOptions) => {
      const decision = decisionOf(kind, options);
      await withClient(async (client) => {
        if (options.signal) {
          await client.signalReview(workflowId, decision);
          process.stdout.write(`${kind} sent as a signal to ${workflowId}\n`);
          return;
        }
        const outcome = await client.decideReview(workflowId, decision);
        process.stdout.write(
          `${workflowId}: ${outcome.record.decision} by ${outcome.record.reviewer} — ${outcome.status}\n`,
        );
      });
    });
  }
}
