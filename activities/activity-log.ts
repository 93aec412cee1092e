import { log } from '@temporalio/activity';

/**
 * A warning in the running activity's log (with its workflow and activity ids), or a process warning when
 * the code runs outside an activity (a bench, a test, a background task of the store).
 */
export function warnFromActivity(message: string, fields: Record<string, unknown>, warningType = 'Sluice'): void {
  try {
    log.warn(message, fields);
  } catch {
    process.emitWarning(`${message} ${JSON.stringify(fields)}`, warningType);
  }
}
