import { LogKind } from '@tsunagu/logger';

/** Who did it. `id` is the resident, admin, service client, connector or job that acted, when known. */
export interface AuditActor {
  kind: 'resident' | 'admin' | 'service' | 'connector' | 'system';
  /** Resident ID, admin ID, OIDC client ID, connector ID or job name. Never a login name typed by a stranger. */
  id?: string;
}

export const AUDIT_ACTOR_KINDS: readonly AuditActor['kind'][] = ['resident', 'admin', 'service', 'connector', 'system'];

/**
 * The event types in use. `type` is an open string (`area.verb`, lower case) so modules can add
 * their own, but prefer these names, and add new ones here so the log kind mapping stays complete.
 */
export type KnownAuditEventType =
  | 'auth.sign_in'
  | 'auth.sign_in_failed'
  /** Historical: written by the lockout that throttling replaced (docs/security.md); no longer recorded. */
  | 'auth.account_locked'
  /** A throttle started blocking sign-in or registration attempts (once per block, not per refused request). */
  | 'auth.throttled'
  | 'admin.change'
  /** An admin read personal data of residents (an incident's affected residents, an inquiry): 利用 in the handling ledger. */
  | 'admin.read'
  /** A resident or a tenant's staff sent an inquiry (問い合わせ). */
  | 'inquiry.received'
  /** A connector or the platform published, activated or withdrew a data offer (admins' changes are admin.change). */
  | 'catalog.offer_published'
  | 'consent.decision'
  | 'grant.issued'
  | 'grant.refused'
  | 'jpki.verification'
  | 'jpki.verification_failed'
  | 'connector.registered'
  | 'link.created'
  | 'link.removed'
  | 'service.access_revoked'
  /** Password reset (identity/recovery): a link asked for (by e-mail or card), a reset done or refused. */
  | 'account.password_reset_requested'
  | 'account.password_reset'
  | 'account.password_reset_refused'
  /** The resident's optional e-mail address: verification link sent, address verified, removed. */
  | 'account.email_verification_sent'
  | 'account.email_verified'
  | 'account.email_removed'
  /** The resident ended one or all of their sign-in sessions in the portal. */
  | 'session.ended';

/**
 * A security-relevant event, as callers hand it to `AuditService.record`.
 * The correlation ID is not part of it: the service takes the current request's from the logger.
 */
export interface AuditEvent {
  /** `area.verb`, e.g. `auth.sign_in`, `consent.decision` — see {@link KnownAuditEventType}. */
  type: KnownAuditEventType | (string & {});
  actor: AuditActor;
  /** The tenant whose data or settings the event concerns, when there is one. */
  tenantId?: string;
  /** What the event is about: a resident ID, consent ID, grant ID, service client ID… (an identifier, not personal data). */
  subject?: string;
  outcome: 'success' | 'failure';
  /** Machine-readable reason, typically the error code of a refusal (`account_locked`, `consent_withdrawn`). */
  reason?: string;
  /**
   * Small, flat facts that help an investigator: IDs, counts, flags, before/after of a setting.
   * Never secrets (passwords, tokens, keys, OTPs — keys named like them are redacted anyway),
   * never payloads or personal data beyond identifiers. Stored as JSON; strings are capped.
   */
  details?: Record<string, unknown>;
}

/** One row of the chain as stored and hashed. */
export interface AuditRecord {
  seq: number;
  /** ISO 8601 with milliseconds, from the database clock at append time. */
  time: string;
  type: string;
  actor: { kind: AuditActor['kind']; id: string | null };
  tenantId: string | null;
  subject: string | null;
  outcome: 'success' | 'failure';
  reason: string | null;
  details: Record<string, unknown>;
  correlationId: string | null;
  /** SHA-256 (hex) of the previous row, or of the signed cut checkpoint, or 64 zeros for the first row. */
  prevHash: string;
  /** SHA-256 (hex) of this row's canonical content (every field above except `hash`). */
  hash: string;
}

/**
 * The winston kind an audit event is mirrored with: sign-ins and identity checks are
 * `authentication`; changes made by admins, services and connectors are `operation`; decisions
 * and grants are `event`.
 */
export function logKindOf(type: string): LogKind {
  const area = type.split('.')[0];
  switch (area) {
    case 'auth':
    case 'jpki':
      return LogKind.Authentication;
    case 'admin':
    case 'catalog':
    case 'connector':
    case 'link':
    case 'backup':
      return LogKind.Operation;
    default:
      return LogKind.Event;
  }
}
