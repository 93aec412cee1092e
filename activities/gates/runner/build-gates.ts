import type { FailurePolicy, GateSetConfig } from '../../../contracts/gate-config';
import type { Gate } from '../gate';
import { TwoStageInjectionGate } from '../injection/injection-gate';
import { GroundednessGate } from '../output/groundedness-gate';
import { PiiLeakGate } from '../output/pii-leak-gate';
import { SafetyGate } from '../output/safety-gate';
import { StructuredOutputGate, type OutputSchemaRegistry } from '../output/structured-output-gate';
import { PiiGate } from '../pii/pii-gate';
import { PolicyGate } from '../policy/policy-gate';

/** A gate with the failure policy that applies when it throws or runs out of time. */
export interface ConfiguredGate {
  gate: Gate;
  failure: FailurePolicy;
}

const inputCache = new WeakMap<GateSetConfig, ConfiguredGate[]>();
const outputCache = new WeakMap<GateSetConfig, ConfiguredGate[]>();

/** The enabled input gates of a resolved gate set, built once per set (GateConfig caches sets). */
export function buildInputGates(config: GateSetConfig): ConfiguredGate[] {
  const cached = inputCache.get(config);
  if (cached) return cached;
  const { injection, pii, policy } = config.input;
  const gates: ConfiguredGate[] = [];
  if (injection.enabled) gates.push({ gate: new TwoStageInjectionGate(injection), failure: injection.failure });
  if (pii.enabled) gates.push({ gate: new PiiGate(pii), failure: pii.failure });
  if (policy.enabled) gates.push({ gate: new PolicyGate(policy), failure: policy.failure });
  inputCache.set(config, gates);
  return gates;
}

/**
 * The enabled output gates in the order they run: structured output first (a repair changes the
 * text), then the PII leak scan (a redaction changes it again), then groundedness and safety.
 */
export function buildOutputGates(config: GateSetConfig, schemas: OutputSchemaRegistry): ConfiguredGate[] {
  const cached = outputCache.get(config);
  if (cached) return cached;
  const { schema, piiLeak, groundedness, safety } = config.output;
  const gates: ConfiguredGate[] = [];
  if (schema.enabled) gates.push({ gate: new StructuredOutputGate(schemas, schema), failure: schema.failure });
  if (piiLeak.enabled) gates.push({ gate: new PiiLeakGate(piiLeak), failure: piiLeak.failure });
  if (groundedness.enabled) gates.push({ gate: new GroundednessGate(groundedness), failure: groundedness.failure });
  if (safety.enabled) gates.push({ gate: new SafetyGate(safety), failure: safety.failure });
  outputCache.set(config, gates);
  return gates;
}
