import { CircuitBreaker } from '../../../../activities/models/circuit-breaker';
import { breakerSettingsSchema } from '../../../../contracts/model-catalog';

describe('CircuitBreaker', () => {
  let now = 0;
  const settings = breakerSettingsSchema.parse({ windowMs: 10_000, minimumCalls: 4, failureRate: 0.5, openMs: 5_000, halfOpenProbes: 1 });
  const breaker = () => new CircuitBreaker('openai', settings, () => now);
  beforeEach(() => (now = 0));

  it('stays closed until the window holds the minimum number of calls', () => {
    const circuit = breaker();
    for (let index = 0; index < 3; index++) circuit.recordFailure();
    expect(circuit.state).toBe('closed');
    expect(circuit.admit()).toEqual({ allowed: true, probe: false });
  });

  it('opens at the failure rate and refuses calls at once, saying when the next probe is due', () => {
    const circuit = breaker();
    circuit.recordSuccess();
    circuit.recordSuccess();
    circuit.recordFailure();
    expect(circuit.state).toBe('closed'); // 1 of 3: below the minimum calls
    circuit.recordFailure(); // 2 of 4 = 50%
    expect(circuit.state).toBe('open');
    now = 1_000;
    expect(circuit.admit()).toEqual({ allowed: false, retryInMs: 4_000 });
  });

  it('forgets outcomes that left the window', () => {
    const circuit = breaker();
    circuit.recordFailure();
    circuit.recordFailure();
    circuit.recordFailure();
    now = 20_000;
    circuit.recordSuccess();
    expect(circuit.state).toBe('closed');
    circuit.recordSuccess();
    circuit.recordSuccess();
    circuit.recordFailure(); // 1 of 4 in the window
    expect(circuit.state).toBe('closed');
  });

  it('goes half-open after openMs, lets one probe through, and a successful probe closes it', () => {
    const circuit = breaker();
    for (let index = 0; index < 4; index++) circuit.recordFailure();
    now = 5_000;
    expect(circuit.state).toBe('half-open');
    expect(circuit.admit()).toEqual({ allowed: true, probe: true });
    expect(circuit.admit()).toEqual({ allowed: false, retryInMs: 0 }); // one probe at a time
    circuit.recordSuccess();
    expect(circuit.state).toBe('closed');
    expect(circuit.admit()).toEqual({ allowed: true, probe: false });
  });

  it('re-opens when the probe fails', () => {
    const circuit = breaker();
    for (let index = 0; index < 4; index++) circuit.recordFailure();
    now = 5_000;
    circuit.admit();
    circuit.recordFailure();
    expect(circuit.state).toBe('open');
    now = 9_999;
    expect(circuit.admit().allowed).toBe(false);
    now = 10_000;
    expect(circuit.admit()).toEqual({ allowed: true, probe: true });
  });

  it('frees the probe slot on a neutral outcome such as a 429', () => {
    const circuit = breaker();
    for (let index = 0; index < 4; index++) circuit.recordFailure();
    now = 5_000;
    circuit.admit();
    circuit.recordNeutral();
    expect(circuit.state).toBe('half-open');
    expect(circuit.admit()).toEqual({ allowed: true, probe: true });
  });
});
