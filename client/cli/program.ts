// The `sluice` command tree, built without running it (main.ts runs it; tests walk it).
import { Command, type CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SluiceClient } from '../sluice-client';
import { registerAskCommand } from './ask-command';
import { registerBudgetCommands } from './budget-commands';
import type { WithClient } from './common';
import { registerDocumentCommands } from './document-commands';
import { exitCodes } from './exit-codes';
import { registerFeedbackCommands } from './feedback-commands';
import { registerGatewayCommands } from './gateway-commands';
import { withExamples } from './help-examples';
import { registerReviewCommands } from './review-commands';
import { registerSetupCommand } from './setup-command';

/** Connects with the environment's settings (SLUICE_TEMPORAL_ADDRESS, …), runs the work, closes the client. */
const withConnectedClient: WithClient = async (run) => {
  const client = await SluiceClient.connect();
  try {
    return await run(client);
  } finally {
    await client.close();
  }
};

const packageVersion = (): string =>
  (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

const exitCodeHelp = [
  '',
  'Exit codes:',
  `  ${exitCodes.ok}   ok`,
  `  ${exitCodes.failed}   a run failed, or an unexpected error`,
  `  ${exitCodes.usage}   bad command, argument, option or input`,
  `  ${exitCodes.notFound}   no such workflow id, key or tenant`,
  `  ${exitCodes.refused}   refused: a review decision, a budget, another tenant's id; an answer blocked or rejected`,
  `  ${exitCodes.pending}   ask without --wait: the answer waits for a reviewer`,
  `  ${exitCodes.unavailable}  the Temporal server cannot be reached`,
  `  ${exitCodes.config}  a bad setting in the environment or the gateway key file`,
  '',
  'With --json, a result is one JSON document on stdout, and an error',
  '{"error":{"code":"…","message":"…","exitCode":N}} on stderr.',
].join('\n');

/** What runs around the commands; tests replace parts. */
export interface ProgramOptions {
  /** Where commander writes its error text and usage. @default process.stderr */
  writeErr?: (text: string) => void;
  /**
   * Called with commander's own exits (usage errors, `--help`, `--version`) instead of exiting;
   * it throws, so main.ts gives them the documented exit codes. @default rethrows the error
   */
  exitCallback?: (error: CommanderError) => never;
  withClient?: WithClient;
}

/** The CLI's commands, every one with `--help` examples. */
export function createProgram(options: ProgramOptions = {}): Command {
  const withClient = options.withClient ?? withConnectedClient;
  // Settings made before `.command()` are inherited by every subcommand.
  const program = new Command()
    .name('sluice')
    .description('Run Sluice pipelines on Temporal')
    .version(packageVersion())
    .exitOverride(options.exitCallback)
    .configureOutput({ writeErr: options.writeErr ?? ((text) => process.stderr.write(text)) })
    .showHelpAfterError();
  withExamples(program, [
    'sluice ingest examples/corpus',
    'sluice ask "How does Sluice keep a workflow alive when a worker crashes?"',
    'sluice review list --json',
  ]);
  program.addHelpText('after', exitCodeHelp);

  registerAskCommand(program, withClient);
  registerDocumentCommands(program, withClient);
  registerSetupCommand(program, withClient);
  registerReviewCommands(program, withClient);
  registerFeedbackCommands(program, withClient);
  registerBudgetCommands(program, withClient);
  registerGatewayCommands(program);
  return program;
}
