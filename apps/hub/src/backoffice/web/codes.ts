import {
  ADMIN_ERROR_MESSAGES, CONNECTOR_ERROR_MESSAGES, CONSENT_ERROR_MESSAGES, IDENTITY_PROOFING_ERROR_MESSAGES, LINK_ERROR_MESSAGES,
  PORTAL_ERROR_MESSAGES, PROVISION_ERROR_MESSAGES, RESIDENT_ERROR_MESSAGES,
} from '@tsunagu/contracts';
import type { Msg } from '@tsunagu/web';
import { auditReasonText } from './web.messages';

/**
 * Where the words of a reason code come from, in order: the connector codes first (a grant
 * refusal's reason is one), the audit chain's own reasons, then the other code lists' tables.
 * A code that is in none of them is shown as it is, inside the page's 「詳細」 only.
 */
const TABLES: readonly Readonly<Record<string, Msg>>[] = [
  CONNECTOR_ERROR_MESSAGES, auditReasonText, RESIDENT_ERROR_MESSAGES, LINK_ERROR_MESSAGES, IDENTITY_PROOFING_ERROR_MESSAGES,
  CONSENT_ERROR_MESSAGES, PORTAL_ERROR_MESSAGES, PROVISION_ERROR_MESSAGES, ADMIN_ERROR_MESSAGES,
];

/** The words of a reason or error code, or `undefined` when no table has it (own keys only). */
export function reasonWords(code: string): Msg | undefined {
  for (const table of TABLES) if (Object.hasOwn(table, code)) return table[code];
  return undefined;
}
