import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGateConfig } from '../../../../activities/gates/load-gate-config';
import { GateConfig, GateConfigError } from '../../../../contracts/gate-config';

describe('GateConfig', () => {
  it('fills every gate with defaults, failing closed', () => {
    const gates = new GateConfig({}).resolve('acme', 'qa');
    expect(gates.input.injection).toMatchObject({ enabled: true, reviewThreshold: 0.5, blockThreshold: 0.75, failure: { mode: 'closed', closedAction: 'block' } });
    expect(gates.input.pii.action).toBe('redact');
    expect(gates.output.schema.enabled).toBe(false);
    expect(gates.output.groundedness.failure.mode).toBe('closed');
  });

  it('merges overrides deeply, more specific ones last', () => {
    const config = new GateConfig({
      defaults: { input: { injection: { blockThreshold: 0.9 } } },
      overrides: [
        { tenant: 'acme', feature: 'support', gates: { input: { injection: { reviewThreshold: 0.3 } } } },
        { tenant: 'acme', gates: { input: { injection: { reviewThreshold: 0.4, failure: { mode: 'open' } } } } },
        { feature: 'support', gates: { input: { policy: { deniedTopics: ['legal'] } } } },
      ],
    });
    const support = config.resolve('acme', 'support');
    expect(support.input.injection).toMatchObject({ reviewThreshold: 0.3, blockThreshold: 0.9, failure: { mode: 'open', closedAction: 'block' } });
    expect(support.input.policy.deniedTopics).toEqual(['legal']);
    expect(config.resolve('acme', 'qa').input.injection.reviewThreshold).toBe(0.4);
    expect(config.resolve('other', 'qa').input.injection).toMatchObject({ reviewThreshold: 0.5, blockThreshold: 0.9 });
  });

  it('rejects a misspelt key, a bad value or contradictory thresholds at start-up, naming the place', () => {
    expect(() => new GateConfig({ defaults: { input: { injecton: {} } } })).toThrow(GateConfigError);
    expect(() => new GateConfig({ overrides: [{ tenant: 'acme', gates: { input: { pii: { action: 'shout' } } } }] })).toThrow(/tenant acme/);
    expect(() => new GateConfig({ defaults: { input: { injection: { reviewThreshold: 0.9, blockThreshold: 0.5 } } } })).toThrow(/reviewThreshold/);
    expect(() => new GateConfig({ defaults: { input: { injection: { failure: { mode: 'sometimes' } } } } })).toThrow(GateConfigError);
  });
});

describe('loadGateConfig', () => {
  const directory = mkdtempSync(join(tmpdir(), 'sluice-gates-'));

  it('uses defaults without a file and validates the file named by SLUICE_GATE_CONFIG', () => {
    expect(loadGateConfig({}).resolve('a', 'b').input.pii.enabled).toBe(true);
    const good = `${directory}/good.json`;
    writeFileSync(good, JSON.stringify({ overrides: [{ tenant: 'acme', gates: { input: { pii: { enabled: false } } } }] }));
    expect(loadGateConfig({ SLUICE_GATE_CONFIG: good }).resolve('acme', 'qa').input.pii.enabled).toBe(false);
    const bad = `${directory}/bad.json`;
    writeFileSync(bad, JSON.stringify({ defaults: { input: { pii: { action: 'shout' } } } }));
    expect(() => loadGateConfig({ SLUICE_GATE_CONFIG: bad })).toThrow(/SLUICE_GATE_CONFIG .*bad\.json.*action/);
    expect(() => loadGateConfig({ SLUICE_GATE_CONFIG: `${directory}/missing.json` })).toThrow(/cannot read/);
  });
});
