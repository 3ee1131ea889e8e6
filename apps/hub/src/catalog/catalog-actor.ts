import type { AuditActor } from '../audit/audit-event';

/**
 * Who changes the catalog: a tenant or system admin (screens and their JSON API), a connector
 * (publishing its configuration's offers), or the platform itself (the demo seed, which goes
 * through the same services as the screens).
 */
export type CatalogActor =
  | { kind: 'admin'; adminId: string }
  | { kind: 'connector'; connectorId: string }
  | { kind: 'system'; name: string };

/** The audit chain's actor of a catalog change. */
export function auditActorOf(actor: CatalogActor): AuditActor {
  switch (actor.kind) {
    case 'admin': return { kind: 'admin', id: actor.adminId };
    case 'connector': return { kind: 'connector', id: actor.connectorId };
    case 'system': return { kind: 'system', id: actor.name };
  }
}

/** The admin account to store as who did it (null when it was not an admin). */
export function adminIdOf(actor: CatalogActor): string | null {
  return actor.kind === 'admin' ? actor.adminId : null;
}
