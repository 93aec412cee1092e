export interface WorkflowStallGuardSettings {
  mode: 'call' | 'process';
  exitAfterMs: number;
  stallsFile: string;
}
export function readSettings(env: Record<string, string | undefined>): WorkflowStallGuardSettings | { error: string };
export function readStalledRuns(stallsFile: string): Set<string>;
export const EXIT_CODE: number;
