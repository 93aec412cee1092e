import { printAnswerStream, type StreamOutput } from '../../../client/cli/print-stream';
import type { AnswerResult } from '../../../contracts/answer';
import type { AnswerStreamEvent } from '../../../contracts/stream';

// `sluice ask --stream` output: the text as it arrives on stdout, then what `ask` prints after an
// answer; notes on stderr; with --json one event per line.

const result = (answer: string): AnswerResult => ({
  status: 'answered', answer, citations: [], gateDecisions: [], model: 'gpt-mini', degraded: false,
});
const run = { workflowId: 'answer~acme~r1', runId: 'run-1' };

async function* events(list: AnswerStreamEvent[]): AsyncGenerator<AnswerStreamEvent> {
  for (const event of list) yield event;
}

function capture(): StreamOutput & { out: () => string; err: () => string } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout: { write: (text: string) => stdout.push(text) },
    stderr: { write: (text: string) => stderr.push(text) },
    out: () => stdout.join(''),
    err: () => stderr.join(''),
  };
}

describe('printAnswerStream', () => {
  it('prints deltas as they come, the rest of the answer, then status and the inspect link', async () => {
    const output = capture();
    const last = await printAnswerStream(events([
      { type: 'started', ...run },
      { type: 'delta', text: 'Refunds take ' },
      { type: 'delta', text: 'thirty ' },
      { type: 'final', ...run, result: result('Refunds take thirty days [1].'), replaced: false },
    ]), { uiUrl: (workflowId) => `http://ui/${workflowId}` }, output);
    expect(last?.type).toBe('final');
    expect(output.out()).toMatch(/^Refunds take thirty days \[1\]\.\n\nstatus: answered {3}model: gpt-mini\n/);
    expect(output.out()).toContain('inspect: http://ui/answer~acme~r1');
    expect(output.err()).toBe('');
  });

  it('says on stderr when the model started over and when the final answer replaces the stream', async () => {
    const output = capture();
    await printAnswerStream(events([
      { type: 'started', ...run },
      { type: 'delta', text: 'Wrong start' },
      { type: 'reset', reason: 'fallback' },
      { type: 'delta', text: 'Contact ' },
      { type: 'final', ...run, result: result('Contact maria@example.com.'), replaced: true },
    ]), {}, output);
    expect(output.out()).toMatch(/^Wrong start\nContact \nContact maria@example\.com\.\n\nstatus: answered/);
    expect(output.err()).toMatch(/another model took over/);
    expect(output.err()).toMatch(/replaces/);
  });

  it('prints one JSON event a line with --json', async () => {
    const output = capture();
    const list: AnswerStreamEvent[] = [
      { type: 'started', ...run }, { type: 'pending_review', ...run, group: 'support' },
    ];
    await printAnswerStream(events(list), { json: true }, output);
    expect(output.out().trim().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual(list);
  });
});
