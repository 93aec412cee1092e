import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/worker';

// Error fields are serialised explicitly: an Error's message and stack are not enumerable, so
// without this a failed activity logged `"error":{}`. The SDK puts the failure under `error`.
const errorSerializers = { error: pino.stdSerializers.errWithCause, err: pino.stdSerializers.errWithCause };

/**
 * The process logger: structured JSON on stdout (stderr for the CLI). `destination` may also be
 * a stream (tests read what was logged).
 */
export function createLogger(level: string, destination: 1 | 2 | DestinationStream = 1): PinoLogger {
  return pino(
    {
      level, base: { service: 'sluice' }, serializers: errorSerializers,
      redact: { paths: ['apiKey', '*.apiKey', 'authorization', '*.authorization'], censor: '[redacted]' },
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

/**
 * Routes Temporal's worker, workflow and activity logs into pino. The SDK adds workflowId,
 * runId, activityId and taskQueue to each record's metadata, so every line can be traced.
 */
export class PinoTemporalLogger implements TemporalLogger {
  constructor(private readonly logger: PinoLogger) {}
  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    this.logger[pinoLevels[level]](meta ?? {}, message);
  }
  trace(message: string, meta?: LogMetadata): void { this.log('TRACE', message, meta); }
  debug(message: string, meta?: LogMetadata): void { this.log('DEBUG', message, meta); }
  info(message: string, meta?: LogMetadata): void { this.log('INFO', message, meta); }
  warn(message: string, meta?: LogMetadata): void { this.log('WARN', message, meta); }
  error(message: string, meta?: LogMetadata): void { this.log('ERROR', message, meta); }
}
