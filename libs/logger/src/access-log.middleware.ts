import type { NextFunction, Request, Response } from 'express';
import { AppLogger } from './app-logger';
import { LogKind } from './log-kind';

const logger = new AppLogger('HttpAccess');

/** One access-log line per request: method, path (no query string: it can carry codes), status, duration. */
export function accessLogMiddleware(req: Request, res: Response, next: NextFunction): void {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    const path = req.originalUrl.split('?')[0];
    logger.log(LogKind.Access, `${req.method} ${path}`, {
      method: req.method,
      path,
      status: res.statusCode,
      durationMs: Math.round(durationMs * 10) / 10,
    });
  });
  next();
}
