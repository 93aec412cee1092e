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

  it('names the tenant of every workflow and activity line, from the workflow id', () => {
    const { stream, lines } = capture();
    const logger = new PinoTemporalLogger(createLogger('info', stream));
    logger.info('Activity completed', { workflowId: 'answer~acme~r1', runId: 'run-1', activityId: '4' });
    logger.info('Workflow started', { workflowId: 'not-a-sluice-id', runId: 'run-2' });
    const [activity, other] = lines();
    expect(activity).toMatchObject({ tenant: 'acme', workflowId: 'answer~acme~r1', runId: 'run-1', activityId: '4' });
    expect(other).not.toHaveProperty('tenant');
  });

  it('never writes questions, answers, drafts, prompts or credentials, at the top or one level down', () => {
    const { stream, lines } = capture();
    const logger = createLogger('info', stream);
    const planted = 'zebracorn-4111-1111-1111-1111';
    logger.info({ question: planted, answer: planted, password: planted, tenant: 'acme' }, 'top level');
    logger.info({ request: { question: planted, draft: planted, prompt: planted, messages: [planted] } }, 'nested');
    logger.info({ call: { authorization: `Bearer ${planted}`, token: planted, secret: planted } }, 'credentials');
    const written = JSON.stringify(lines());
    expect(written).not.toContain('zebracorn');
    expect(lines()[0]).toMatchObject({ tenant: 'acme', question: '[redacted]' });
  });
});
