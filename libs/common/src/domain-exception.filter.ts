import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import { ErrorReason, type ErrorBody } from '@tsunagu/contracts';
import { AppLogger, currentCorrelationId } from '@tsunagu/logger';
import type { Response } from 'express';
import { throttleHeaders } from './attempt-limiter';
import { DomainException } from './domain.exception';

/** The one place where reasons become HTTP statuses (exhaustive). */
export function statusFor(reason: ErrorReason): number {
  switch (reason) {
    case ErrorReason.BadRequest: return HttpStatus.BAD_REQUEST;
    case ErrorReason.Unauthorized: return HttpStatus.UNAUTHORIZED;
    case ErrorReason.Forbidden: return HttpStatus.FORBIDDEN;
    case ErrorReason.NotFound: return HttpStatus.NOT_FOUND;
    case ErrorReason.Conflict: return HttpStatus.CONFLICT;
    case ErrorReason.TooManyRequests: return HttpStatus.TOO_MANY_REQUESTS;
    case ErrorReason.Unavailable: return HttpStatus.SERVICE_UNAVAILABLE;
  }
}

const frameworkCodes: Record<number, { code: string; ja: string; en: string }> = {
  400: { code: 'invalid_request', ja: 'リクエストが正しくありません。', en: 'The request is not valid.' },
  401: { code: 'unauthorized', ja: '認証が必要です。', en: 'Authentication is required.' },
  403: { code: 'forbidden', ja: 'この操作は許可されていません。', en: 'This operation is not allowed.' },
  404: { code: 'not_found', ja: '見つかりません。', en: 'Not found.' },
  405: { code: 'method_not_allowed', ja: 'このメソッドは使えません。', en: 'Method not allowed.' },
  413: { code: 'payload_too_large', ja: '送信されたデータが大きすぎます。', en: 'The payload is too large.' },
  415: { code: 'unsupported_media_type', ja: 'この形式には対応していません。', en: 'Unsupported media type.' },
};

/** True for the error `pg` raises when no pool connection became free in time (POOL_WAIT_MS). */
export function isPoolTimeout(error: unknown): boolean {
  return error instanceof Error && /timeout exceeded when trying to connect/i.test(error.message);
}

/** PostgreSQL's SQLSTATEs of a server that is shutting down, starting, or a connection that broke. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);

/**
 * True for an error that says PostgreSQL or Redis is out of reach for a moment (restarting, a cut
 * connection), not that the request or the code is wrong: answered 503 with Retry-After, so that
 * clients retry instead of reporting a bug. Looks through TypeORM's `driverError` and `cause`.
 */
export function isBackendUnavailable(error: unknown, depth = 0): boolean {
  // Duck-typed: errors of Node's sockets may come from another realm than this module's Error.
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const { code, name, message, driverError, cause } = error as { code?: unknown; name?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_SOCKET_CODES.has(code))) return true;
  if (name === 'MaxRetriesPerRequestError') return true;
  if (typeof message === 'string' && /^(Connection terminated|Connection is closed|Stream isn't writeable|Client has encountered a connection error)/i.test(message)) return true;
  return isBackendUnavailable(driverError, depth + 1) || isBackendUnavailable(cause, depth + 1);
}

/** Seconds a client is asked to wait after a 503 for an unavailable backend. */
export const BACKEND_RETRY_AFTER_SECONDS = 5;

/**
 * Maps every error to a typed JSON body. Unknown errors become a plain 500, logged once with the
 * stack and never shown to the caller.
 */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new AppLogger(DomainExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const { status, body } = this.toResponse(exception);
    if (res.headersSent) return;
    for (const [name, value] of Object.entries(throttleHeaders(exception))) res.setHeader(name, value);
    if (body.error.code === 'backend_unavailable') res.setHeader('retry-after', String(BACKEND_RETRY_AFTER_SECONDS));
    res.status(status).json(body);
  }

  toResponse(exception: unknown): { status: number; body: ErrorBody } {
    const correlationId = currentCorrelationId();
    if (exception instanceof DomainException) {
      return {
        status: statusFor(exception.reason),
        body: { error: { code: exception.code, message: exception.bilingual.ja, messageEn: exception.bilingual.en, details: exception.details, correlationId } },
      };
    }
    const status = exception instanceof HttpException ? exception.getStatus()
      : typeof (exception as { status?: unknown })?.status === 'number' ? (exception as { status: number }).status : 500;
    const known = frameworkCodes[status];
    if (status < 500 && known) {
      return { status, body: { error: { code: known.code, message: known.ja, messageEn: known.en, correlationId } } };
    }
    if (isPoolTimeout(exception)) {
      // Logged with its stack: on the embedded database a pool wait this long points at a bug.
      this.logger.error('No database connection became free in time', exception);
      return {
        status: 503,
        body: { error: { code: 'database_busy', message: 'ただいま処理が混み合っています。しばらくしてから再度お試しください。', messageEn: 'The service is busy. Please try again in a moment.', correlationId } },
      };
    }
    if (isBackendUnavailable(exception)) {
      this.logger.error('Database or Redis unavailable', exception);
      return {
        status: 503,
        body: { error: { code: 'backend_unavailable', message: '一時的に処理できません。しばらくしてから再度お試しください。', messageEn: 'The service is briefly unavailable. Please try again in a moment.', correlationId } },
      };
    }
    this.logger.error('Unhandled error', exception);
    return {
      status: 500,
      body: { error: { code: 'internal_error', message: '内部エラーが発生しました。時間をおいて再度お試しください。', messageEn: 'An internal error occurred. Please try again later.', correlationId } },
    };
  }
}
