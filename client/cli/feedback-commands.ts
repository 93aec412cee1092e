// `sluice feedback`: rate an answer run, and compare prompt versions and variants by their ratings.
import { Argument, type Command } from 'commander';
import type { FeedbackRating, FeedbackRecord, FeedbackReport } from '../../contracts/feedback';
import { parseWorkflowId } from '../../contracts/workflow-types';
import { defaultTenant, formatTable, type WithClient } from './common';
import { withExamples } from './help-examples';
import { jsonOption, printResult, type JsonFlag } from './output';

interface RateOptions extends JsonFlag {
  comment?: string;
  tenant?: string;
  user?: string;
}

/**
 * The tenant a rating is for: the one given, else the one the run's id names (`answer~acme~…`, as
 * `sluice ask -t acme` printed it), else the default. The gateway and the workflow still refuse a run
 * of another tenant.
 */
export function ratedTenant(workflowId: string, given: string | undefined): string {
  return given ?? parseWorkflowId(workflowId)?.tenant ?? defaultTenant;
}

/** One line saying what a rating was linked to. */
export function formatFeedbackRecord(record: FeedbackRecord): string {
  return `recorded ${record.rating} for ${record.workflowId}: prompt ${record.promptId}@${record.promptVersion}, ` +
    `variant ${record.variant}, model ${record.model}, route ${record.route}`;
}

/** The report as a table with aligned columns: counts right-aligned, names left-aligned. */
export function formatFeedbackReport(report: FeedbackReport): string {
  if (report.rows.length === 0) return `no feedback yet for tenant ${report.tenant}`;
  const header = ['prompt', 'version', 'variant', 'up', 'down', 'approval'];
  const rows = report.rows.map((row) => [
    row.promptId, row.promptVersion, row.variant, String(row.up), String(row.down),
    `${Math.round(row.approval * 100)}%`,
  ]);
  return `${formatTable(header, rows, 3)}\n${report.total} rating(s) from tenant ${report.tenant}`;
}

/** Adds `feedback <workflow-id> <up|down>` and `feedback report` to the CLI. */
export function registerFeedbackCommands(program: Command, withClient: WithClient): void {
  const feedback = program
    .command('feedback')
    .description('rate an answer run (as `sluice ask` prints its workflow id), or report ratings by variant')
    .addArgument(new Argument('<workflow-id>', 'the answer run rated'))
    .addArgument(new Argument('<rating>', 'thumbs up or down').choices(['up', 'down']))
    .option('--comment <text>', 'why, in a sentence')
    .option('-t, --tenant <tenant>', 'tenant that owns the answer run (default: the one its id names, else demo)')
    .option('--user <id>', "who rates; a user's later rating of the same run replaces their earlier one")
    .addOption(jsonOption())
    // Without this, `feedback report -t acme` would give -t to `feedback`, not to `report`.
    .enablePositionalOptions()
    .action(async (workflowId: string, rating: FeedbackRating, options: RateOptions) => {
      const record = await withClient((client) => client.recordFeedback({
        tenant: ratedTenant(workflowId, options.tenant), workflowId, rating,
        ...(options.comment !== undefined ? { comment: options.comment } : {}),
        ...(options.user !== undefined ? { userId: options.user } : {}),
      }));
      printResult(options, record, formatFeedbackRecord);
    });
  withExamples(feedback, [
    'sluice feedback answer~acme~eu-42 up --user dave',
    'sluice feedback answer~acme~eu-42 down --comment "cites an old policy" --json',
    'sluice feedback report',
  ]);

  const report = feedback
    .command('report')
    .description('ratings by prompt version and variant, with the share of thumbs up')
    .option('-t, --tenant <tenant>', 'tenant whose ratings to report', defaultTenant)
    .option('--prompt <id>', 'only ratings of this prompt id')
    .addOption(jsonOption())
    .action(async (options: { tenant: string; prompt?: string } & JsonFlag, command: Command) => {
      // `feedback -t acme report` names the tenant (or --json) before the subcommand; take it from there.
      const parent = feedback.opts<RateOptions>();
      const fromParent = command.getOptionValueSource('tenant') === 'default';
      const tenant = fromParent ? parent.tenant ?? defaultTenant : options.tenant;
      const ratings = await withClient((client) => client.feedbackReport({
        tenant, ...(options.prompt !== undefined ? { promptId: options.prompt } : {}),
      }));
      printResult({ json: options.json ?? parent.json }, ratings, formatFeedbackReport);
    });
  withExamples(report, ['sluice feedback report -t acme', 'sluice feedback report --prompt grounded-answer --json']);
}
