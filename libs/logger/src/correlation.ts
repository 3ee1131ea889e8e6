import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

/** Who a log line is about: kind and pseudonymous ID (a resident's internal UUID, an admin's ID, a connector's ID), and the tenant. */
export interface LogActor {
  kind: 'resident' | 'admin' | 'connector' | 'service';
  id: string;
  tenantId?: string;
}

interface RequestContext {
  correlationId: string;
  /** The client address (through trusted proxies only), set by the app's own middleware. */
  clientIp?: string;
  actor?: LogActor;
}

const storage = new AsyncLocalStorage<RequestContext>();
export const CORRELATION_HEADER = 'x-correlation-id';

/** The correlation id of the request being served, if any. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

/** The log fields of the request being served: correlation id, client address, actor, tenant. */
export function requestLogFields(): Record<string, string> {
  const store = storage.getStore();
  if (!store) return {};
  return {
    correlationId: store.correlationId,
    ...(store.clientIp ? { clientIp: store.clientIp } : {}),
    ...(store.actor ? { actorKind: store.actor.kind, actorId: store.actor.id, ...(store.actor.tenantId ? { tenantId: store.actor.tenantId } : {}) } : {}),
  };
}

/**
 * Names who the request acts for, once authentication has said so: every later log line of the
 * request (and its access line) carries it. Outside a request, nothing happens.
 */
export function setLogActor(actor: LogActor): void {
  const store = storage.getStore();
  if (store) store.actor = actor;
}

/** Sets the client address of the request being served (the app resolves it through its trusted proxies). */
export function setLogClientIp(address: string | undefined): void {
  const store = storage.getStore();
  if (store && address) store.clientIp = address;
}

/**
 * Express middleware: takes a well-formed incoming correlation id or makes one, echoes it in the
 * response header and makes it available to every log line written while serving the request.
 */
export function correlationMiddleware(req: Request, res: Response, next: NextFunction): void {
  runWithCorrelation(req, res, next);
}

/** The same for a plain Node request (the hub's /oidc front, which runs ahead of Express). */
export function runWithCorrelation(req: IncomingMessage, res: ServerResponse, serve: () => void): void {
  const header = req.headers[CORRELATION_HEADER];
  const incoming = Array.isArray(header) ? header[0] : header;
  const correlationId = incoming && /^[A-Za-z0-9._-]{8,64}$/.test(incoming) ? incoming : randomUUID();
  res.setHeader(CORRELATION_HEADER, correlationId);
  storage.run({ correlationId }, serve);
}
