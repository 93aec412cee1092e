// Where `sluice` writes: a command's result alone on stdout (text, or one JSON document with
// `--json`), and everything else (notices, progress, errors) on stderr, so `sluice … --json | jq`
// always reads a whole document.
import { Option } from 'commander';
import type { CliFailure } from './exit-codes';

/** The part of a command's options that picks the output format. */
export interface JsonFlag {
  json?: boolean;
}

/** Something to write to: process.stdout or process.stderr, or a test's buffer. */
export interface Writable {
  write(text: string): unknown;
}

/** The `--json` option, the same on every command that prints a result. */
export function jsonOption(): Option {
  return new Option('--json', 'print the result as one JSON document on stdout (errors as JSON on stderr)');
}

/**
 * Whether the command line asks for JSON. Read from the arguments rather than the parsed options,
 * because a usage error happens before any option is parsed and must be JSON too. `--` ends options.
 */
export function jsonRequested(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).includes('--json');
}

/** Prints a command's result: as JSON with `--json`, else as `formatText` renders it. */
export function printResult<T>(
  flag: JsonFlag, data: T, formatText: (data: T) => string, stdout: Writable = process.stdout,
): void {
  stdout.write(`${flag.json ? JSON.stringify(data, null, 2) : formatText(data)}\n`);
}

/** A line for the person at the terminal (never part of the result): on stderr. */
export function printNotice(text: string, stderr: Writable = process.stderr): void {
  stderr.write(`${text}\n`);
}

/**
 * Prints an error on stderr: `sluice: <message>`, or with `--json` one line of
 * `{"error":{"code","message","exitCode"}}` (with `workflowId` and `failureType` when the error names them).
 * `stack` is shown only for unexpected errors, and only when the caller passes it (SLUICE_DEBUG=1).
 */
export function printError(
  failure: CliFailure, json: boolean, stack?: string, stderr: Writable = process.stderr,
): void {
  const shownStack = failure.expected ? undefined : stack;
  if (json) {
    const { expected: _expected, ...error } = failure;
    stderr.write(`${JSON.stringify({ error: { ...error, ...(shownStack ? { stack: shownStack } : {}) } })}\n`);
    return;
  }
  stderr.write(`sluice: ${failure.message}\n`);
  if (shownStack) stderr.write(`${shownStack}\n`);
}
