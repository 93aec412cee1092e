// The `sluice` command line: a thin layer over SluiceClient that prints one clear line on error and
// exits with a code scripts can rely on (exit-codes.ts).
import { CommanderError } from 'commander';
import { classifyError, exitCodes } from './exit-codes';
import { jsonRequested, printError } from './output';
import { createProgram } from './program';

const json = jsonRequested(process.argv.slice(2));
/** Errors commander has shown already (its `error: …` line and the usage): not printed twice. */
const shownByCommander = new WeakSet<CommanderError>();

const program = createProgram({
  // Under --json, stderr carries the JSON error alone.
  writeErr: (text) => {
    if (!json) process.stderr.write(text);
  },
  exitCallback: (error) => {
    shownByCommander.add(error);
    throw error;
  },
});

program.parseAsync(process.argv).catch((error: unknown) => {
  const failure = classifyError(error);
  if (failure === null) process.exit(exitCodes.ok);
  if (json || !(error instanceof CommanderError && shownByCommander.has(error))) {
    const stack = process.env.SLUICE_DEBUG === '1' && error instanceof Error ? error.stack : undefined;
    printError(failure, json, stack);
  }
  process.exit(failure.exitCode);
});
