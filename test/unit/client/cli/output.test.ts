import { jsonRequested, printError, printNotice, printResult } from '../../../../client/cli/output';
import type { CliFailure } from '../../../../client/cli/exit-codes';

/** A stream that keeps what is written to it. */
function buffer(): { write(text: string): void; text: string } {
  return { text: '', write(text: string) { this.text += text; } };
}

const notFound: CliFailure = {
  code: 'not_found', message: 'no run has the workflow id answer~cli~nope', exitCode: 3, expected: true,
};

describe('the output of sluice commands', () => {
  const data = { workflowId: 'answer~acme~1', count: 2 };
  const asText = (value: typeof data) => `${value.workflowId}: ${value.count}`;

  it('prints the text form of a result, or the same data as one JSON document with --json', () => {
    const text = buffer();
    printResult({}, data, asText, text);
    expect(text.text).toBe('answer~acme~1: 2\n');
    const json = buffer();
    printResult({ json: true }, data, asText, json);
    expect(JSON.parse(json.text)).toEqual(data);
    expect(json.text.endsWith('}\n')).toBe(true);
  });

  it('puts notices on their own line', () => {
    const stderr = buffer();
    printNotice('ingest started: ingest~acme~1', stderr);
    expect(stderr.text).toBe('ingest started: ingest~acme~1\n');
  });

  it('prints an error as one sluice: line, or as one JSON error object with --json', () => {
    const text = buffer();
    printError(notFound, false, undefined, text);
    expect(text.text).toBe('sluice: no run has the workflow id answer~cli~nope\n');
    const json = buffer();
    printError(notFound, true, undefined, json);
    expect(json.text.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(json.text)).toEqual({
      error: { code: 'not_found', message: 'no run has the workflow id answer~cli~nope', exitCode: 3 },
    });
  });

  it('shows a stack only for an unexpected error, when given one', () => {
    const expected = buffer();
    printError(notFound, false, 'Error: x\n    at y', expected);
    expect(expected.text).not.toContain('at y');
    const unexpected = buffer();
    const internal: CliFailure = { ...notFound, code: 'internal', exitCode: 1, expected: false };
    printError(internal, false, 'Error: x\n    at y', unexpected);
    expect(unexpected.text).toBe('sluice: no run has the workflow id answer~cli~nope\nError: x\n    at y\n');
    const json = buffer();
    printError(internal, true, 'Error: x\n    at y', json);
    expect(JSON.parse(json.text).error.stack).toBe('Error: x\n    at y');
  });

  it('takes --json from the arguments, up to a --', () => {
    expect(jsonRequested(['review', 'list', '--json'])).toBe(true);
    expect(jsonRequested(['ask', '--json', 'hi'])).toBe(true);
    expect(jsonRequested(['ask', 'hi'])).toBe(false);
    expect(jsonRequested(['ask', '--', '--json'])).toBe(false);
  });
});
