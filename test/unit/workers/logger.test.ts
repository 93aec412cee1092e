import { ApplicationFailure } from '@temporalio/common';
import { Writable } from 'node:stream';
import { createLogger, PinoTemporalLogger } from '../../../workers/logger';

/** A pino destination that keeps each JSON line it is given. */
function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _encoding, done) { chunks.push(String(chunk)); done(); } });
  return {
    stream, lines: () => chunks.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('worker logs', () => {
  it('keep the message, type and stack of a failed activity (the SDK logs it under `error`)', () => {
    const { stream, lines } = capture();
    const logger = new PinoTemporalLogger(createLogger('info', stream));
    const failure = ApplicationFailure.create({ type: 'StoreUnavailable', message: 'the vector store did not answer' });
    logger.warn('Activity failed', { activityId: '3', workflowId: 'answer~acme~1', error: failure });
    const [record] = lines();
    expect(record).toMatchObject({ msg: 'Activity failed', activityId: '3', workflowId: 'answer~acme~1' });
    expect(record!.error).toMatchObject({ message: 'the vector store did not answer', type: 'ApplicationFailure' });
    expect(String((record!.error as { stack: string }).stack)).toContain('the vector store did not answer');
  });

  it('still redacts API keys', () => {
    const { stream, lines } = capture();
    createLogger('info', stream).info({ provider: { apiKey: 'sk-secret' } }, 'provider configured');
    expect(JSON.stringify(lines())).not.toContain('sk-secret');
  });
});
