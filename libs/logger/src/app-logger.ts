import type { LoggerService } from '@nestjs/common';
import * as winston from 'winston';
import DailyRotateFile from 'winston-daily-rotate-file';
import { requestLogFields } from './correlation';
import { redactSecrets } from './redact';
import { LogKind } from './log-kind';

/** Strips CR/LF so that interpolated values cannot forge log lines. */
export function sanitize(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}

export interface LogFields { [key: string]: unknown }

/** The levels a process may be set to (LOG_LEVEL in each app's config), most severe first. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The level when nothing sets one. */
export const DEFAULT_LOG_LEVEL: LogLevel = 'info';

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

/** What a process tells its logger at start-up; a field left out keeps its current value. */
export interface LoggerSettings {
  /** From the app's validated config (LOG_LEVEL). */
  level?: LogLevel;
  /** The `service` field of every line: `hub`, `connector-cashless`, `demo-cashless`, … */
  service?: string;
  /** No output at all (the test runner's setting). */
  silent?: boolean;
  /** Also write daily-rotated, compressed files here (kept {@link LOG_RETENTION_DAYS} days); from the app's config. */
  fileDir?: string;
}

const current: Required<Omit<LoggerSettings, 'fileDir'>> & Pick<LoggerSettings, 'fileDir'> = { level: DEFAULT_LOG_LEVEL, service: 'tsunagu', silent: false };
let root: winston.Logger | undefined;

/**
 * Sets the process-wide logger from the app's validated config. The logger reads no environment
 * itself: each app calls this once it has loaded its config (hub, connector, demos, the hub's
 * commands); until then, and in a process that never calls it, the level is `info`.
 */
export function configureLogger(settings: LoggerSettings): void {
  if (settings.level !== undefined) {
    if (!isLogLevel(settings.level)) throw new Error(`Unknown log level "${String(settings.level)}"`);
    current.level = settings.level;
  }
  if (settings.service !== undefined) current.service = settings.service;
  if (settings.silent !== undefined) current.silent = settings.silent;
  const addFile = settings.fileDir !== undefined && settings.fileDir !== current.fileDir;
  if (settings.fileDir !== undefined) current.fileDir = settings.fileDir;
  if (root && addFile) root.add(fileTransport(current.fileDir!, current.service));
  if (root) {
    root.level = current.level;
    root.silent = current.silent;
    root.defaultMeta = { service: current.service };
  }
}

/** The process-wide winston logger: JSON lines on stdout, with the settings of {@link configureLogger}. */
export function rootLogger(): winston.Logger {
  if (!root) {
    root = winston.createLogger({
      level: current.level,
      silent: current.silent,
      format: winston.format.combine(redactSecrets(), winston.format.timestamp(), winston.format.json()),
      defaultMeta: { service: current.service },
      transports: [new winston.transports.Console()],
    });
    if (current.fileDir) root.add(fileTransport(current.fileDir, current.service));
  }
  return root;
}

/**
 * The year-long log files (docs/operations.md "Logs"): one file per day and service,
 * `<service>-YYYY-MM-DD.log`, gzip'd once the day is over, kept 400 days (the audit retention),
 * by winston-daily-rotate-file.
 */
function fileTransport(dir: string, service: string): winston.transport {
  return new DailyRotateFile({
    dirname: dir, filename: `${service}-%DATE%.log`, datePattern: 'YYYY-MM-DD', utc: true,
    zippedArchive: true, maxFiles: `${LOG_RETENTION_DAYS}d`, auditFile: `${dir}/.${service}-audit.json`,
    options: { mode: 0o640 },
  });
}

/** How long log files are kept: at least the 400 days of the audit chain (the contracts ask for a year). */
export const LOG_RETENTION_DAYS = 400;

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

  /** Only with LOG_LEVEL=debug. */
  debug(kind: LogKind, message: string, fields: LogFields = {}): void {
    this.write('debug', kind, message, fields);
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
      ...requestLogFields(),
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
