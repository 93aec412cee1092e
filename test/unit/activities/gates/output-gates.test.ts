import { z } from 'zod';
import { GroundednessGate, splitClaims } from '../../../../activities/gates/output/groundedness-gate';
import { PiiLeakGate } from '../../../../activities/gates/output/pii-leak-gate';
import { SafetyGate } from '../../../../activities/gates/output/safety-gate';
import { StructuredOutputGate } from '../../../../activities/gates/output/structured-output-gate';

const evidence = [
  { marker: 1, text: 'When a worker process crashes, Temporal schedules the workflow on another worker, which replays the recorded history.' },
  { marker: 2, text: 'The embedded vector store keeps chunks on disk under the data directory.' },
];
const context = { tenant: 't', feature: 'f', evidence };

describe('GroundednessGate', () => {
  const gate = new GroundednessGate({ claimSupport: 0.5, minScore: 0.6, action: 'review' });

  it('splits an answer into claims with their citation markers', () => {
    expect(splitClaims('A worker crashed [1]. Chunks live on disk [2][1]!')).toEqual([
      { text: 'A worker crashed .', markers: [1] }, { text: 'Chunks live on disk !', markers: [2, 1] },
    ]);
  });

  it('keeps initials, abbreviations and decimals in one claim; a leading marker goes to the claim before', () => {
    expect(splitClaims('The John W. Weeks Bridge opened in 1927 [1]. Dr. Lee measured 3.5 GB. [2] It holds.')).toEqual([
      { text: 'The John W. Weeks Bridge opened in 1927 .', markers: [1] },
      { text: 'Dr. Lee measured 3.5 GB.', markers: [2] },
      { text: 'It holds.', markers: [] },
    ]);
    expect(splitClaims('- first item [1]\n- second item [2]')).toEqual([
      { text: '- first item', markers: [1] }, { text: '- second item', markers: [2] },
    ]);
  });

  it('allows claims supported by their cited passages', () => {
    const decision = gate.check('When a worker crashes, another worker replays the recorded history [1]. The vector store keeps chunks on disk [2].', context);
    expect(decision).toMatchObject({ action: 'allow', scores: { groundedness: 1 } });
  });

  it('sends unsupported or wrongly cited claims to review', () => {
    const decision = gate.check('Another worker replays the recorded history [1]. Quantum entanglement powers the billing engine in Antarctica [2].', context);
    expect(decision.action).toBe('review');
    expect(decision.scores.groundedness).toBe(0.5);
    expect(decision.reasons).toEqual(['claim 2 is not supported by its cited passage']);
  });
});

describe('PiiLeakGate', () => {
  it('redacts PII the model produced, and leaves placeholders alone', () => {
    const gate = new PiiLeakGate({ types: ['EMAIL', 'US_SSN'], action: 'redact', defaultRegion: 'US' });
    const decision = gate.check('Write to [EMAIL_1]; the admin is root@corp.example and the SSN on file is 531-21-7351.');
    expect(decision.action).toBe('redact');
    expect(decision.redactedText).toBe('Write to [EMAIL_1]; the admin is [REDACTED EMAIL] and the SSN on file is [REDACTED US_SSN].');
    expect(new PiiLeakGate({ types: ['EMAIL'], action: 'block', defaultRegion: 'US' }).check('root@corp.example').action).toBe('block');
  });
});

describe('StructuredOutputGate', () => {
  const schemas = { ticket: z.object({ title: z.string(), priority: z.enum(['low', 'high']) }) };

  it('accepts valid output and repairs fenced JSON within the repair budget', () => {
    const gate = new StructuredOutputGate(schemas, { schema: 'ticket', maxRepairs: 1, action: 'block' });
    expect(gate.check('{"title":"Crash","priority":"high"}')).toMatchObject({ action: 'allow', scores: { valid: 1, repairs: 0 } });
    const repaired = gate.check('Here you go:\n```json\n{"title":"Crash","priority":"high"}\n```');
    expect(repaired).toMatchObject({ action: 'allow', scores: { repairs: 1 }, redactedText: '{"title":"Crash","priority":"high"}' });
  });

  it('blocks output that still fails after the bounded repairs', () => {
    const oneRepair = new StructuredOutputGate(schemas, { schema: 'ticket', maxRepairs: 1, action: 'block' });
    // Needs two repairs (fence, then trailing comma): one is not enough, three are.
    const broken = '```json\n{"title":"Crash","priority":"high",}\n```';
    expect(oneRepair.check(broken).action).toBe('block');
    expect(new StructuredOutputGate(schemas, { schema: 'ticket', maxRepairs: 3, action: 'block' }).check(broken).action).toBe('allow');
    const wrongShape = oneRepair.check('{"title":"Crash","priority":"urgent"}');
    expect(wrongShape.action).toBe('block');
    expect(wrongShape.reasons[0]).toMatch(/priority/);
  });
});

describe('SafetyGate', () => {
  const gate = new SafetyGate({ reviewThreshold: 0.5, blockThreshold: 0.85 });

  it('flags a threat and allows an ordinary answer', async () => {
    expect((await gate.check('I will kill you and your whole family, you worthless piece of garbage.')).action).not.toBe('allow');
    expect((await gate.check('Workers replay the workflow history after a crash.')).action).toBe('allow');
  });

  it('does not send ordinary science questions and answers to review, even at a stricter review threshold', async () => {
    // Trained on moderation data alone, the model scored this question 0.31: any tenant reviewing at 0.3 saw it.
    const strict = new SafetyGate({ reviewThreshold: 0.3, blockThreshold: 0.85 });
    for (const text of [
      'What changes the mineral content of a rock?',
      'Weathering and heat change the mineral content of a rock.',
    ]) {
      expect((await strict.check(text)).action).toBe('allow');
    }
  });
});
