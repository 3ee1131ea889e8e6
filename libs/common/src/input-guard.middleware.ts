import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { INPUT_ERROR_MESSAGES, InputErrorCodes } from '@tsunagu/contracts';
import { DomainExceptionFilter } from './domain-exception.filter';
import { type ErrorDetails, exceptionFor } from './domain.exception';
import { findTextProblem, type TextProblem, textProblem, type ValueProblem } from './input-text';

/** The edge check's typed error (`invalid_request`, words in libs/contracts input.ts). */
export const InputException = exceptionFor('InputException', InputErrorCodes, INPUT_ERROR_MESSAGES);

/** What the edge check found wrong with a request: the part (`path`, `query.x`, `body.y`) and the problem. */
export interface InputProblem {
  field: string;
  problem: ValueProblem | 'malformed_body';
}

const PROBLEM = Symbol('tsunagu.inputProblem');
const filter = new DomainExceptionFilter();

/** The problem the edge check marked on a request it handed on (see {@link delegatedInputCheck}). */
export function inputProblemOf(req: object): InputProblem | undefined {
  return (req as { [PROBLEM]?: InputProblem })[PROBLEM];
}

/** Options of {@link inputGuardMiddleware}. */
export interface InputGuardOptions {
  /**
   * The app's body parsers, run here so that bodies are checked before routing (a parser that
   * meets an already parsed body does nothing, so the app may mount them again later).
   */
  parsers?: RequestHandler[];
}

/** One percent-encoded piece decoded, or the problem of its encoding. */
function decodePiece(piece: string): string | TextProblem {
  try {
    return decodeURIComponent(piece.replace(/\+/g, ' '));
  } catch {
    return 'not_well_formed';
  }
}

/** The first problem in a `/`-separated path or a `&`-separated query or form body (raw, encoded). */
function encodedProblem(raw: string, separator: '/' | '&', part: string, multiline: boolean): InputProblem | undefined {
  for (const piece of raw.split(separator)) {
    const [name, ...rest] = separator === '&' ? piece.split('=') : [piece];
    for (const [i, encoded] of [name, rest.join('=')].entries()) {
      if (!encoded) continue;
      const decoded = decodePiece(encoded);
      const problem = decoded === 'not_well_formed' ? decoded : textProblem(decoded, multiline && i === 1);
      if (problem) {
        const field = separator === '/' ? part : `${part}.${decodePiece(name) === 'not_well_formed' || i === 0 ? '(name)' : decodePiece(name)}`;
        return { field, problem };
      }
    }
  }
  return undefined;
}

/** The problem of the path and query of a request (both single-line text). */
function urlProblem(req: IncomingMessage & { originalUrl?: string }): InputProblem | undefined {
  const url = req.originalUrl ?? req.url ?? '';
  const mark = url.indexOf('?');
  const path = mark < 0 ? url : url.slice(0, mark);
  return encodedProblem(path, '/', 'path', false) ?? (mark < 0 ? undefined : encodedProblem(url.slice(mark + 1), '&', 'query', false));
}

/** `application/json` (parameters such as charset aside), as `req.is('application/json')` decides. */
function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const semicolon = contentType.indexOf(';');
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase() === 'application/json';
}

/** The problem of a raw form or JSON body (as oidc-provider will parse it). */
function rawBodyProblem(req: IncomingMessage, body: Buffer): InputProblem | undefined {
  const text = body.toString('utf8');
  if (isJson(req.headers['content-type'])) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return undefined; // the provider answers a body it cannot parse itself
    }
    const found = findTextProblem(parsed, true);
    return found && { field: `body.${found.field}`, problem: found.problem };
  }
  return encodedProblem(text, '&', 'body', true);
}

function answer(res: Response, problem: InputProblem): void {
  const details: ErrorDetails = [{ field: problem.field, problem: problem.problem }];
  const { status, body } = filter.toResponse(new InputException('invalid_request', details));
  res.status(status).setHeader('cache-control', 'no-store');
  res.json(body);
}

/**
 * The edge check of a request whose handler answers in its own format (oidc-provider), on a plain
 * Node request: path and query checked, a form or JSON body read raw (at most `limit`), checked
 * and left in `req.body` as the Buffer that handler parses; a problem is only marked
 * ({@link inputProblemOf}) for the handler to answer. Then `done`.
 */
export function delegatedInputCheck(limit = '56kb'): (req: IncomingMessage, res: ServerResponse, done: () => void) => void {
  const raw = express.raw({ type: ['application/x-www-form-urlencoded', 'application/json'], limit });
  return (req, res, done) => {
    const mark = (found: InputProblem | undefined) => {
      if (found) (req as unknown as { [PROBLEM]: InputProblem })[PROBLEM] = found;
      done();
    };
    const problem = urlProblem(req);
    if (problem) return mark(problem);
    raw(req as Request, res as Response, (error?: unknown) => {
      if (error) return mark({ field: 'body', problem: 'malformed_body' });
      const body = (req as { body?: unknown }).body;
      mark(Buffer.isBuffer(body) ? rawBodyProblem(req, body) : undefined);
    });
  };
}

/** Runs the parsers one after the other (each is an Express middleware), then `done`. */
function runParsers(parsers: RequestHandler[], req: Request, res: Response, next: NextFunction, done: () => void): void {
  const step = (i: number): void => {
    if (i === parsers.length) return done();
    parsers[i](req, res, (error?: unknown) => (error ? next(error) : step(i + 1)));
  };
  step(0);
}

/**
 * The edge check of every request, mounted first: path, query and body strings must be
 * well-formed Unicode without control characters (the body may carry line breaks and tabs, for
 * text areas), else the answer is a typed 400 `invalid_request` — never a database error.
 * Per-field rules (required text not blank, single lines, UUIDs) stay with the schemas.
 */
export function inputGuardMiddleware(options: InputGuardOptions = {}): RequestHandler {
  return (req, res, next) => {
    const problem = urlProblem(req);
    if (problem) return answer(res, problem);
    runParsers(options.parsers ?? [], req, res, next, () => {
      const found = findTextProblem(req.body, true);
      if (found) return answer(res, { field: `body.${found.field}`, problem: found.problem });
      next();
    });
  };
}
