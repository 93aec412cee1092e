import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/worker';
import { parseWorkflowId } from '../contracts/workflow-types';

// Error fields are serialised explicitly: an Error's message and stack are not enumerable, so
// without this a failed activity logged `"error":{}`. The SDK puts the failure under `error`.
const errorSerializers = { error: pino.stdSerializers.errWithCause, err: pino.stdSerializers.errWithCause };

// Fields that hold secrets or user text wherever they appear (top level or one level down): keys and
// credentials, and the question, answer, draft, prompt and document text. Code logs lengths and ids
// instead; these paths catch the one that slips through.
const sensitiveFields = [
  'apiKey', 'authorization', 'password', 'secret', 'token',
  'question', 'answer', 'draft', 'text', 'prompt', 'messages', 'content', 'passages',
];
export const redactedPaths = sensitiveFields.flatMap((field) => [field, `*.${field}`]);

/**
 * The process logger: structured JSON on stdout (stderr for the CLI). `destination` may also be
 * a stream (tests read what was logged).
 */
export function createLogger(level: string, destination: 1 | 2 | DestinationStream = 1): PinoLogger {
  return pino(
    {
      level, base: { service: 'sluice' }, serializers: errorSerializers,
      redact: { paths: redactedPaths, censor: '[redacted]' },
    },
    typeof destination === 'number' ? pino.destination(destination) : destination,
  );
}

const pinoLevels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Adds the tenant a workflow id names (`answer~<tenant>~<id>`), so every workflow and activity line has it. */
function withTenant(meta: LogMetadata): LogMetadata {
  if (meta.tenant !== undefined || typeof meta.workflowId !== 'string') return meta;
  const parsed = parseWorkflowId(meta.workflowId);
  return parsed ? { ...meta, tenant: parsed.tenant } : meta;
}

/**
 * Routes Temporal's worker, workflow and activity logs into pino. The SDK adds workflowId,
 * runId, activityId and taskQueue to each record's metadata, so every line can be traced.
 */
export class PinoTemporalLogger implements TemporalLogger {
  constructor(private readonly logger: PinoLogger) {}
  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    this.logger[pinoLevels[level]](withTenant(meta ?? {}), message);
  }
  trace(message: string, meta?: LogMetadata): void { this.log('TRACE', message, meta); }
  debug(message: string, meta?: LogMetadata): void { this.log('DEBUG', message, meta); }
  info(message: string, meta?: LogMetadata): void { this.log('INFO', message, meta); }
  warn(message: string, meta?: LogMetadata): void { this.log('WARN', message, meta); }
  error(message: string, meta?: LogMetadata): void { this.log('ERROR', message, meta); }
}
