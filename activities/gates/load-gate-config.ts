import { readFileSync } from 'node:fs';
import { GateConfig, GateConfigError } from '../../contracts/gate-config';

/** Environment variable naming the gate configuration file (JSON). */
export const gateConfigVariable = 'SLUICE_GATE_CONFIG';

/**
 * Reads and validates the gate configuration once at worker start-up: the JSON file named by
 * SLUICE_GATE_CONFIG, or the defaults when it is unset. A bad file stops the worker with a
 * message naming the variable, the file and the invalid field.
 */
export function loadGateConfig(environment: Record<string, string | undefined>): GateConfig {
  const path = environment[gateConfigVariable];
  if (!path) return new GateConfig({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new GateConfigError(`${gateConfigVariable}: cannot read ${path} as JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    return new GateConfig(raw);
  } catch (error) {
    if (error instanceof GateConfigError) throw new GateConfigError(`${gateConfigVariable} (${path}): ${error.message}`);
    throw error;
  }
}
