import type { Command } from 'commander';

/** The heading under which every command's `--help` lists its examples (tests look for it). */
export const examplesHeading = 'Examples:';

/** Adds examples after a command's `--help`, one shell command line each. */
export function withExamples(command: Command, examples: readonly string[]): Command {
  const lines = examples.map((example) => `  $ ${example}`);
  return command.addHelpText('after', `\n${examplesHeading}\n${lines.join('\n')}`);
}
