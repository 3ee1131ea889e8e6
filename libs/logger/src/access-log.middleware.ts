import type { NextFunction, Request, Response } from 'express';
import { AppLogger } from './app-logger';
import { LogKind } from './log-kind';

const logger = new AppLogger('HttpAccess');

/** One access-log line per request: method, path (no query string: it can carry codes), status, duration. */
export function accessLogMiddleware(req: Request, res: Response, next: NextFunction): void {
  const started = process.hrtime.bigint();
  res.on('finish', () => logAccess(req.method, req.originalUrl, res.statusCode, started));
  next();
}

/** Writes the access-log line of a finished request (`url` may carry a query string: it is cut off). */
export function logAccess(method: string | undefined, url: string, status: number, started: bigint): void {
  const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
  const path = url.split('?')[0];
  logger.log(LogKind.Access, `${method} ${path}`, { method, path, status, durationMs: Math.round(durationMs * 10) / 10 });
}
