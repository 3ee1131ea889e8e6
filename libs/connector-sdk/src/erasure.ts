import type { AnyErasureCallbackRequest, ErasedCount, ErasureCallbackAnswer, ErasureCallbackRequest, ErasureText, TenantErasureCallbackRequest } from '@tsunagu/contracts';

/**
 * The erasure callback (消去依頼の受け取り, docs/manuals/vendor.md): when a resident leaves the
 * platform, your connector POSTs an {@link ErasureCallbackRequest} to your service
 * (`service.url` + `service.erasurePath`, default `/internal/v1/erasure`, with the service token as
 * `Authorization: Bearer`). Delete your copy of what you received about that resident, and answer
 * 200 with {@link erasureAnswer}'s result. Until you answer, the connector does not acknowledge and
 * the hub keeps asking (retries with backoff); the resident's erasure certificate names your service
 * as pending after the hub's bound.
 */

/** Thrown by {@link parseErasureRequest}: answer 400 (the request is malformed; the connector never sends one). */
export class ErasureRequestError extends Error {
  constructor(readonly field: string, readonly problem: string) {
    super(`${field}: ${problem}`);
    this.name = 'ErasureRequestError';
  }
}

const hasControl = (v: string): boolean => [...v].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= max && !hasControl(v);

/**
 * Checks the body of an erasure callback and returns it typed; throws {@link ErasureRequestError}
 * on anything else (unknown fields included). It checks the shape only: authenticate the caller
 * (your connector, with the service token) before.
 */
export function parseErasureRequest(body: unknown): ErasureCallbackRequest {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ErasureRequestError('(body)', 'expected a JSON object');
  const b = body as Record<string, unknown>;
  const known = ['erasureId', 'localId', 'items', 'reason', 'requestedAt'];
  const unknown = Object.keys(b).find((k) => !known.includes(k));
  if (unknown) throw new ErasureRequestError(unknown, 'unknown field');
  if (!isText(b.erasureId, 128)) throw new ErasureRequestError('erasureId', 'expected an ID');
  if (!isText(b.localId, 256)) throw new ErasureRequestError('localId', 'expected the local ID');
  if (!Array.isArray(b.items) || b.items.length > 256 || !b.items.every((i) => isText(i, 128))) throw new ErasureRequestError('items', 'expected item codes');
  if (b.reason !== 'departure' && b.reason !== 'deceased') throw new ErasureRequestError('reason', 'expected departure or deceased');
  if (!isText(b.requestedAt, 64) || Number.isNaN(Date.parse(b.requestedAt))) throw new ErasureRequestError('requestedAt', 'expected an ISO 8601 time');
  return { erasureId: b.erasureId, localId: b.localId, items: b.items as string[], reason: b.reason, requestedAt: b.requestedAt };
}

const isTextList = (v: unknown, max: number): v is string[] => Array.isArray(v) && v.length <= max && v.every((i) => isText(i, 128));

/**
 * Checks the body of either erasure callback: a resident's (as {@link parseErasureRequest}) or,
 * with `kind: "tenant"`, a whole tenant's that left the platform ({@link TenantErasureCallbackRequest}:
 * delete, for every member, what you received under its data uses and agreements). Throws
 * {@link ErasureRequestError} on anything else.
 */
export function parseAnyErasureRequest(body: unknown): AnyErasureCallbackRequest {
  if (!body || typeof body !== 'object' || Array.isArray(body) || (body as Record<string, unknown>).kind === undefined) return parseErasureRequest(body);
  const b = body as Record<string, unknown>;
  if (b.kind !== 'tenant') throw new ErasureRequestError('kind', 'expected tenant');
  const known = ['kind', 'erasureId', 'tenant', 'dataUses', 'agreements', 'items', 'reason', 'requestedAt'];
  const unknown = Object.keys(b).find((k) => !known.includes(k));
  if (unknown) throw new ErasureRequestError(unknown, 'unknown field');
  if (!isText(b.erasureId, 128)) throw new ErasureRequestError('erasureId', 'expected an ID');
  if (!isText(b.tenant, 64)) throw new ErasureRequestError('tenant', 'expected the tenant code');
  if (!isTextList(b.dataUses, 1000)) throw new ErasureRequestError('dataUses', 'expected data use codes');
  if (!isTextList(b.agreements, 1000)) throw new ErasureRequestError('agreements', 'expected agreement IDs');
  if (!isTextList(b.items, 256)) throw new ErasureRequestError('items', 'expected item codes');
  if (b.reason !== 'tenant_left') throw new ErasureRequestError('reason', 'expected tenant_left');
  if (!isText(b.requestedAt, 64) || Number.isNaN(Date.parse(b.requestedAt))) throw new ErasureRequestError('requestedAt', 'expected an ISO 8601 time');
  const request: TenantErasureCallbackRequest = {
    kind: 'tenant', erasureId: b.erasureId, tenant: b.tenant, dataUses: b.dataUses, agreements: b.agreements, items: b.items, reason: 'tenant_left', requestedAt: b.requestedAt,
  };
  return request;
}

/** The answer to send: the counts you deleted per item (or kind of record), and how, in words the certificate prints. */
export function erasureAnswer(erased: ErasedCount[], method: ErasureText): ErasureCallbackAnswer {
  for (const e of erased) {
    if (!isText(e.item, 128) || !Number.isInteger(e.count) || e.count < 0) throw new ErasureRequestError('erased', `not a count: ${String(e.item)}`);
  }
  if (!isText(method.ja, 500) || !isText(method.en, 500)) throw new ErasureRequestError('method', 'expected the method in Japanese and English');
  return { erased, method };
}
