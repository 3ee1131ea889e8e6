import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { DomainExceptionFilter } from '@tsunagu/common';

const filter = new DomainExceptionFilter();

/**
 * JSON and form parsers for the hub's own routes (oidc-provider parses its own bodies and is
 * mounted before these). A malformed or oversized body gets the same typed error as any other
 * bad request instead of Express's HTML page.
 */
export function bodyParsers(limit = '64kb'): RequestHandler[] {
  return [express.json({ limit }), express.urlencoded({ extended: false, limit })].map((parser) =>
    (req: Request, res: Response, next: NextFunction) => parser(req, res, (error?: unknown) => {
      if (!error) return next();
      const raw = (error as { status?: number }).status ?? 400;
      const status = raw >= 500 ? 400 : raw;
      res.status(status).json(filter.toResponse({ status }).body);
    }));
}
