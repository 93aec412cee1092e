import type { AnswerStreamEvent } from '../../contracts/stream';
import { formatAnswer } from './print-answer';
import { decideCommands } from './print-review';

// `sluice ask --stream`: the answer's text on stdout as it is generated, then citations and status
// as `ask` prints them. Notes for the person at the terminal (a restart, a replaced answer, a
// review) go to stderr, so stdout stays the answer. With `--json`, one event per line (NDJSON).

/** Where the printer writes; process.stdout and process.stderr by default. */
export interface StreamOutput {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export interface PrintStreamOptions {
  json?: boolean;
  /** The Web UI link of a run, for the `inspect:` line. @default none: the line is left out */
  uiUrl?: (workflowId: string, runId: string) => string;
}

/** The lines `formatAnswer` prints after the answer text (citations, gates, status, …). */
function detailsAfterAnswer(event: Extract<AnswerStreamEvent, { type: 'final' }>, options: PrintStreamOptions): string {
  const { workflowId, runId, result } = event;
  const uiUrl = options.uiUrl?.(workflowId, runId) ?? '';
  const full = formatAnswer({ workflowId, runId, uiUrl, result }, { uiLink: options.uiUrl !== undefined });
  return full.startsWith(result.answer) ? full.slice(result.answer.length) : `\n\n${full}`;
}

/**
 * Prints an answer stream as it arrives and returns its last event (`final`, or `pending_review`
 * when the stream ended waiting for a reviewer; undefined if it was stopped first).
 */
export async function printAnswerStream(
  stream: AsyncIterable<AnswerStreamEvent>, options: PrintStreamOptions = {},
  output: StreamOutput = { stdout: process.stdout, stderr: process.stderr },
): Promise<AnswerStreamEvent | undefined> {
  let shown = '';
  let last: AnswerStreamEvent | undefined;
  for await (const event of stream) {
    last = event;
    if (options.json) {
      output.stdout.write(`${JSON.stringify(event)}\n`);
      continue;
    }
    switch (event.type) {
      case 'started':
        break;
      case 'delta':
        output.stdout.write(event.text);
        shown += event.text;
        break;
      case 'reset':
        if (shown) output.stdout.write('\n');
        output.stderr.write(`(${event.reason === 'fallback' ? 'another model took over' : 'the model started again'}` +
          '; the text above is discarded)\n');
        shown = '';
        break;
      case 'pending_review':
        if (shown) output.stdout.write('\n');
        output.stderr.write(
          `${event.workflowId} is waiting for review by ${event.group ?? 'a reviewer'} ` +
          `until ${event.deadline ?? '?'}; decide it with:\n${decideCommands(event.workflowId)}\n`,
        );
        shown = '';
        break;
      case 'final':
        if (event.replaced) {
          if (shown) output.stdout.write('\n');
          output.stderr.write('(the final answer differs from the streamed text, which it replaces:)\n');
          output.stdout.write(event.result.answer);
        } else {
          output.stdout.write(event.result.answer.slice(shown.length));
        }
        output.stdout.write(`${detailsAfterAnswer(event, options)}\n`);
        break;
    }
  }
  return last;
}
