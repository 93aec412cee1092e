export type WorkflowStackTraces = 'on' | 'off';
type Env = Record<string, string | undefined>;
export function readStackTraceSetting(env: Env): { traces: WorkflowStackTraces } | { error: string };
export function applyStackTraceSetting(env: Env): { traces: WorkflowStackTraces } | { error: string };
export function skipPromiseHook(vmShared: unknown): boolean;
