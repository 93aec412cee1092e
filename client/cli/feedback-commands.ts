// `sluice feedback`: rate an answer run, and compare prompt versions and variants by their ratings.
import { Argument, type Command } from 'commander';
import type { FeedbackRating, FeedbackRecord, FeedbackReport } from '../../contracts/feedback';
import type { SluiceClient } from '../sluice-client';

/** Runs a function with a connected Temporal client and closes it afterwards. */
export type WithClient = <T>(run: (client: SluiceClient) => Promise<T>) => Promise<T>;

interface RateOptions {
  comment?: string;
  tenant: string;
  user?: string;
}

const defaultTenant = (): string => process.env.SLUICE_TENANT || 'demo';

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
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const numeric = (column: number): boolean => column >= 3;
  const line = (cells: string[]): string => cells
    .map((cell, column) => (numeric(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
    .join('  ').trimEnd();
  return [line(header), ...rows.map(line), `${report.total} rating(s) from tenant ${report.tenant}`].join('\n');
}

/** Adds `feedback <workflow-id> <up|down>` and `feedback report` to the CLI. */
export function registerFeedbackCommands(program: Command, withClient: WithClient): void {
  const feedback = program
    .command('feedback')
    .description('rate an answer run (as `sluice ask` prints its workflow id), or report ratings by variant')
    .addArgument(new Argument('<workflow-id>', 'the answer run rated'))
    .addArgument(new Argument('<rating>', 'thumbs up or down').choices(['up', 'down']))
    .option('--comment <text>', 'why, in a sentence')
    .option('-t, --tenant <tenant>', 'tenant that owns the answer run', defaultTenant())
    .option('--user <id>', "who rates; a user's later rating of the same run replaces their earlier one")
    // Without this, `feedback report -t acme` would give -t to `feedback`, not to `report`.
    .enablePositionalOptions()
    .action(async (workflowId: string, rating: FeedbackRating, options: RateOptions) => {
      const record = await withClient((client) => client.recordFeedback({
        tenant: options.tenant, workflowId, rating,
        ...(options.comment !== undefined ? { comment: options.comment } : {}),
        ...(options.user !== undefined ? { userId: options.user } : {}),
      }));
      process.stdout.write(`${formatFeedbackRecord(record)}\n`);
    });

  feedback
    .command('report')
    .description('ratings by prompt version and variant, with the share of thumbs up')
    .option('-t, --tenant <tenant>', 'tenant whose ratings to report', defaultTenant())
    .option('--prompt <id>', 'only ratings of this prompt id')
    .action(async (options: { tenant: string; prompt?: string }, command: Command) => {
      // `feedback -t acme report` names the tenant before the subcommand; take it from there.
      const tenant = command.getOptionValueSource('tenant') === 'default'
        ? feedback.opts<RateOptions>().tenant
        : options.tenant;
      const report = await withClient((client) => client.feedbackReport({
        tenant, ...(options.prompt !== undefined ? { promptId: options.prompt } : {}),
      }));
      process.stdout.write(`${formatFeedbackReport(report)}\n`);
    });
}
