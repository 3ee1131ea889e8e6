import type { LoggerService } from '@nestjs/common';
import * as winston from 'winston';
import { currentCorrelationId } from './correlation';
import { LogKind } from './log-kind';

/** Strips CR/LF so that interpolated values cannot forge log lines. */
export function sanitize(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}

export interface LogFields { [key: string]: unknown }

let root: winston.Logger | undefined;

/** The process-wide winston logger: JSON lines on stdout (or silent under tests unless LOG_LEVEL is set). */
export function rootLogger(): winston.Logger {
  if (!root) {
    const silent = process.env.JEST_WORKER_ID !== undefined && !process.env.LOG_LEVEL;
    root = winston.createLogger({
      level: process.env.LOG_LEVEL ?? 'info',
      silent,
      format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
      defaultMeta: { service: process.env.TSUNAGU_SERVICE ?? 'tsunagu' },
      transports: [new winston.transports.Console()],
    });
  }
  return root;
}

/**
 * A logger for one class. Every line carries its kind, the class as context and the current
 * correlation id. Never pass tokens, passwords or payloads as fields.
 */
export class AppLogger {
  constructor(private readonly context: string) {}

  log(kind: LogKind, message: string, fields: LogFields = {}): void {
    this.write('info', kind, message, fields);
  }

  warn(kind: LogKind, message: string, fields: LogFields = {}): void {
    this.write('warn', kind, message, fields);
  }

  error(message: string, error?: unknown, fields: LogFields = {}): void {
    const stack = error instanceof Error ? error.stack : error === undefined ? undefined : String(error);
    this.write('error', LogKind.Error, message, { ...fields, stack });
  }

  private write(level: string, kind: LogKind, message: string, fields: LogFields): void {
    const logger = rootLogger();
    // Decide before building the line: most access and event lines are dropped in production.
    if (!logger.isLevelEnabled(level)) return;
    logger.log(level, sanitize(message), {
      kind,
      context: this.context,
      correlationId: currentCorrelationId(),
      ...fields,
    });
  }
}

/** Adapts Nest's own framework logging to winston (kind "event", errors as kind "error"). */
export class NestWinstonLogger implements LoggerService {
  log(message: unknown, context?: string): void {
    new AppLogger(context ?? 'Nest').log(LogKind.Event, String(message));
  }
  error(message: unknown, stack?: string, context?: string): void {
    new AppLogger(context ?? 'Nest').error(String(message), stack);
  }
  warn(message: unknown, context?: string): void {
    new AppLogger(context ?? 'Nest').warn(LogKind.Event, String(message));
  }
  debug(): void {}
  verbose(): void {}
}
