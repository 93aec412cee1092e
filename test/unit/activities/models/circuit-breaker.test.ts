import {
  CircuitBreaker, CircuitBreakerRegistry, type BreakerPermit, type CircuitTransition,
} from '../../../../activities/models/circuit-breaker';
import { breakerSettingsSchema } from '../../../../contracts/model-catalog';

describe('CircuitBreaker', () => {
  let now = 0;
  const settings = breakerSettingsSchema.parse({
    windowMs: 10_000,
    minimumCalls: 4,
    failureRate: 0.5,
    openMs: 5_000,
    halfOpenProbes: 1,
  });
  const breaker = () => new CircuitBreaker('openai', settings, () => now);
  beforeEach(() => (now = 0));

  // Admits a call (it must be admitted) and returns its permit.
  const admitted = (circuit: CircuitBreaker, requestKey?: string): BreakerPermit => {
    const admission = circuit.admit(requestKey);
    if (!admission.allowed) throw new Error(`call refused, retry in ${admission.retryInMs} ms`);
    return admission.permit;
  };
  const fail = (circuit: CircuitBreaker, requestKey?: string): void => admitted(circuit, requestKey).failure();
  const succeed = (circuit: CircuitBreaker, requestKey?: string): void => admitted(circuit, requestKey).success();
  const openIt = (circuit: CircuitBreaker): void => {
    for (let index = 0; index < 4; index++) fail(circuit);
    expect(circuit.state).toBe('open');
  };

  it('stays closed until the window holds the minimum number of calls', () => {
    const circuit = breaker();
    for (let index = 0; index < 3; index++) fail(circuit);
    expect(circuit.state).toBe('closed');
    expect(circuit.admit()).toMatchObject({ allowed: true, probe: false });
  });

  it('opens at the failure rate and refuses calls at once, saying when the next probe is due', () => {
    const circuit = breaker();
    succeed(circuit);
    succeed(circuit);
    fail(circuit);
    expect(circuit.state).toBe('closed'); // 1 of 3: below the minimum calls
    fail(circuit); // 2 of 4 = 50%
    expect(circuit.state).toBe('open');
    now = 1_000;
    expect(circuit.admit()).toEqual({ allowed: false, retryInMs: 4_000 });
  });

  it('forgets outcomes that left the window', () => {
    const circuit = breaker();
    fail(circuit);
    fail(circuit);
    fail(circuit);
    now = 20_000;
    succeed(circuit);
    expect(circuit.state).toBe('closed');
    succeed(circuit);
    succeed(circuit);
    fail(circuit); // 1 of 4 in the window
    expect(circuit.state).toBe('closed');
  });

  it('goes half-open after openMs, lets one probe through, and a successful probe closes it', () => {
    const circuit = breaker();
    openIt(circuit);
    now = 5_000;
    expect(circuit.state).toBe('half-open');
    const probe = circuit.admit();
    expect(probe).toMatchObject({ allowed: true, probe: true });
    expect(circuit.admit()).toEqual({ allowed: false, retryInMs: 0 }); // one probe at a time
    if (probe.allowed) probe.permit.success();
    expect(circuit.state).toBe('closed');
    expect(circuit.admit()).toMatchObject({ allowed: true, probe: false });
  });

  it('re-opens when the probe fails', () => {
    const circuit = breaker();
    openIt(circuit);
    now = 5_000;
    fail(circuit);
    expect(circuit.state).toBe('open');
    now = 9_999;
    expect(circuit.admit().allowed).toBe(false);
    now = 10_000;
    expect(circuit.admit()).toMatchObject({ allowed: true, probe: true });
  });

  it('frees the probe slot on a neutral outcome such as a 429', () => {
    const circuit = breaker();
    openIt(circuit);
    now = 5_000;
    admitted(circuit).release();
    expect(circuit.state).toBe('half-open');
    expect(circuit.admit()).toMatchObject({ allowed: true, probe: true });
  });

  it('frees the probe slot of a cancelled probe, once, so a later call is admitted', () => {
    const circuit = breaker();
    openIt(circuit);
    now = 5_000;
    const cancelled = admitted(circuit);
    cancelled.release(); // the activity's `finally` after a cancellation
    cancelled.release(); // settling twice frees no second slot
    const next = admitted(circuit);
    expect(circuit.admit()).toEqual({ allowed: false, retryInMs: 0 });
    next.success();
    expect(circuit.state).toBe('closed');
  });

  it('presumes a probe lost after openMs without a report and admits another', () => {
    const circuit = breaker();
    openIt(circuit);
    now = 5_000;
    admitted(circuit); // never settled
    expect(circuit.admit().allowed).toBe(false);
    now = 10_000;
    expect(circuit.admit()).toMatchObject({ allowed: true, probe: true });
  });

  it('counts retries of one request once: its latest outcome', () => {
    const circuit = breaker();
    for (let attempt = 0; attempt < 4; attempt++) fail(circuit, 'workflow-1/run/activity-1');
    expect(circuit.state).toBe('closed'); // 1 request in the window, minimumCalls is 4
    for (const request of ['a', 'b', 'c']) fail(circuit, request);
    expect(circuit.state).toBe('open'); // 4 distinct failing requests
  });

  it('keeps the latest outcome of a request: one that recovered on retry counts as a success', () => {
    const circuit = breaker();
    fail(circuit, 'r1');
    fail(circuit, 'r2');
    succeed(circuit, 'r1'); // r1's retry worked
    fail(circuit, 'r3');
    succeed(circuit, 'r4');
    expect(circuit.state).toBe('closed'); // r1 ok, r2 failed, r3 failed, r4 ok: 2 of 4 would open it
    fail(circuit, 'r4');
    expect(circuit.state).toBe('open'); // r4's later failure: 3 of 4
  });

  it('ignores a late outcome from a call admitted before the circuit opened', () => {
    const circuit = breaker();
    const slow = admitted(circuit);
    openIt(circuit);
    now = 4_000;
    slow.failure(); // must not restart the open period
    now = 5_000;
    expect(circuit.state).toBe('half-open');
  });

  it('tells registry listeners every state change: closed → open → half-open → open → half-open → closed', () => {
    const registry = new CircuitBreakerRegistry(() => now);
    const seen: CircuitTransition[] = [];
    const stop = registry.onTransition((transition) => seen.push(transition));
    const circuit = registry.get('openai', settings);
    openIt(circuit);
    now += settings.openMs;
    fail(circuit);
    now += settings.openMs;
    succeed(circuit);
    stop();
    circuit.reset();
    expect(seen.map(({ from, to }) => `${from}>${to}`)).toEqual([
      'closed>open', 'open>half-open', 'half-open>open', 'open>half-open', 'half-open>closed',
    ]);
    expect(seen.every((transition) => transition.provider === 'openai')).toBe(true);
  });
});
