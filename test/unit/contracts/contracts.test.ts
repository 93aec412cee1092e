import { answerRequestSchema } from '../../../contracts/answer';
import { ConfigError, loadConfig } from '../../../contracts/config';
import { formatZodError } from '../../../contracts/format-error';
import { strictestAction } from '../../../contracts/gates';

describe('contracts', () => {
  it('names the invalid field of a request', () => {
    const parsed = answerRequestSchema.safeParse({ tenant: 'bad tenant', requestId: 'r1', question: '' });
    expect(parsed.success).toBe(false);
    const message = formatZodError(parsed.error!);
    expect(message).toContain('tenant: may contain only letters');
    expect(message).toContain('question: must not be empty');
  });

  it('words zod\'s own messages as the schemas word theirs, and keeps the schemas\' own', () => {
    const parsed = answerRequestSchema.safeParse({ tenant: 't', requestId: 'r', question: 'q', topK: 0, feature: 7 });
    expect(formatZodError(parsed.error!)).toBe('feature: must be a string, not a number; topK: must be at least 1');
    const missing = answerRequestSchema.safeParse({ tenant: 't', requestId: 'r' });
    expect(formatZodError(missing.error!)).toBe('question: required (a string)');
    const tooMany = answerRequestSchema.safeParse({ tenant: 't', requestId: 'r', question: 'q', topK: 21 });
    expect(formatZodError(tooMany.error!)).toBe('topK: must be at most 20');
  });

  it('applies defaults', () => {
    expect(answerRequestSchema.parse({ tenant: 't', requestId: 'r', question: ' q ' })).toEqual({
      tenant: 't', requestId: 'r', question: 'q', feature: 'qa', topK: 4, contextTokenBudget: 2_000,
    });
  });

  it('reads config from the environment and names a bad variable', () => {
    expect(loadConfig({ SLUICE_TEMPORAL_ADDRESS: 'host:7000' }).temporalAddress).toBe('host:7000');
    expect(() => loadConfig({ SLUICE_LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    expect(() => loadConfig({ SLUICE_LOG_LEVEL: 'loud' })).toThrow(/SLUICE_LOG_LEVEL/);
  });

  it('orders gate actions block > review > redact > allow', () => {
    const decision = (action: 'allow' | 'redact' | 'review' | 'block') => ({ gate: 'g', action, reasons: [], scores: {}, unchecked: false });
    expect(strictestAction([decision('allow'), decision('redact')])).toBe('redact');
    expect(strictestAction([decision('review'), decision('block'), decision('redact')])).toBe('block');
    expect(strictestAction([])).toBe('allow');
  });
});
