import { createProgressReporter } from '../../../../client/cli/progress-reporter';

/** A stream that keeps what is written to it, claiming to be a terminal or not. */
function stream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const fake = {
    text: '', isTTY, columns: 80,
    write(chunk: string) { fake.text += chunk; return true; },
    cursorTo() { return true; }, clearLine() { return true; }, moveCursor() { return true; },
    on() { return fake; }, removeListener() { return fake; },
  };
  return fake as unknown as NodeJS.WriteStream & { text: string };
}

describe('the ingest progress reporter', () => {
  const steps = [
    { totalDocuments: 6, processedDocuments: 2, chunks: 10 },
    { totalDocuments: 6, processedDocuments: 2, chunks: 10 },
    { totalDocuments: 6, processedDocuments: 6, chunks: 31 },
  ];
  const lines = 'ingest: 2/6 documents, 10 chunks\ningest: 6/6 documents, 31 chunks\n';

  it('writes a line per change when the stream is not a terminal', () => {
    const output = stream(false);
    const reporter = createProgressReporter({ stream: output });
    steps.forEach(reporter.update);
    reporter.stop();
    expect(output.text).toBe(lines);
  });

  it('writes a line per change on a terminal too when the bar is off (--json)', () => {
    const output = stream(true);
    const reporter = createProgressReporter({ stream: output, bar: false });
    steps.forEach(reporter.update);
    reporter.stop();
    expect(output.text).toBe(lines);
  });

  it('draws a bar on a terminal otherwise', () => {
    const output = stream(true);
    const reporter = createProgressReporter({ stream: output });
    steps.forEach(reporter.update);
    reporter.stop();
    expect(output.text).not.toContain('ingest: 2/6 documents');
    expect(output.text).toContain('6/6 documents | 31 chunks');
  });
});
