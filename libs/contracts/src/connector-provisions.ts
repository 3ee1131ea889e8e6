import type { JSONSchemaType } from 'ajv';
import { ErrorReason } from './errors';

/**
 * Provision reports (issue 5 part 7, docs/connector.md §8): after each exchange both connectors
 * report its metadata — never the payload — to `POST /connect/v1/provisions`, and the hub appends
 * it to the provision ledger (提供記録) the resident sees at `/portal/provisions`.
 *
 * The hub takes the resident, the consent version and both services from the grant it issued, not
 * from the report: a report can only name a grant issued to (consumer side) or for (provider side)
 * the reporting connector. The ledger keeps one row per grant and providing service; a repeated
 * report (same grant, same side, or the other side of the same exchange) is acknowledged as
 * `duplicate`, so connectors can retry until acknowledged without writing twice.
 */

/** Path of the endpoint below the hub's connector API (`HUB_CONNECT_PATH`). */
export const PROVISIONS_PATH = '/provisions';

/** Which side of the exchange reports. */
export type ProvisionReportSide = 'consumer' | 'provider';

/** One report: metadata of one exchange. */
export interface ProvisionReport {
  /** A connector-chosen ID (UUID) of this report, stable across retries. */
  reportId: string;
  /** The grant the exchange was made under (its `jti`). */
  grantId: string;
  side: ProvisionReportSide;
  /** The other party's connector ID (provider for a consumer report, consumer for a provider report). */
  peerConnectorId: string;
  dataUse: string;
  items: string[];
  purpose: string;
  /** From the grant; the consumer cannot read them (the grant is encrypted to the provider). */
  consentId?: string;
  consentVersion?: number;
  /** `provided`: data was handed over; `refused`: the provider refused. */
  outcome: 'provided' | 'refused';
  /** The refusal's connector error code, when `refused`. */
  code?: string;
  /** ISO 8601 time of the exchange at the reporting connector. */
  occurredAt: string;
}

/** JSON Schema of {@link ProvisionReport}. */
export const provisionReportSchema: JSONSchemaType<ProvisionReport> = {
  $id: 'https://tsunagu.example/schemas/provision-report.json',
  type: 'object',
  properties: {
    reportId: { type: 'string', format: 'uuid' },
    grantId: { type: 'string', minLength: 1, maxLength: 128 },
    side: { type: 'string', enum: ['consumer', 'provider'] },
    peerConnectorId: { type: 'string', minLength: 1, maxLength: 128 },
    dataUse: { type: 'string', minLength: 1, maxLength: 128 },
    items: { type: 'array', minItems: 1, maxItems: 50, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 128 } },
    purpose: { type: 'string', minLength: 1, maxLength: 128 },
    consentId: { type: 'string', minLength: 1, maxLength: 128, nullable: true },
    consentVersion: { type: 'integer', minimum: 1, nullable: true },
    outcome: { type: 'string', enum: ['provided', 'refused'] },
    code: { type: 'string', minLength: 1, maxLength: 64, nullable: true },
    occurredAt: { type: 'string', format: 'date-time' },
  },
  required: ['reportId', 'grantId', 'side', 'peerConnectorId', 'dataUse', 'items', 'purpose', 'outcome', 'occurredAt'],
  additionalProperties: false,
};

/** The hub's acknowledgement (`200`): the report is in the ledger, now or before. */
export interface ProvisionReportAck {
  reportId: string;
  grantId: string;
  status: 'recorded' | 'duplicate';
}

/** JSON Schema of {@link ProvisionReportAck}. */
export const provisionReportAckSchema: JSONSchemaType<ProvisionReportAck> = {
  $id: 'https://tsunagu.example/schemas/provision-report-ack.json',
  type: 'object',
  properties: {
    reportId: { type: 'string' },
    grantId: { type: 'string' },
    status: { type: 'string', enum: ['recorded', 'duplicate'] },
  },
  required: ['reportId', 'grantId', 'status'],
  additionalProperties: true,
};

/**
 * Refusals of `POST /connect/v1/provisions` beyond the connector API's own (`invalid_request`,
 * `client_assertion_invalid`, `connector_not_approved`). Both are final: the connector drops the
 * report (retrying cannot help) and logs it.
 */
export const ProvisionErrorCodes = {
  /** No grant with this ID was issued to or for the reporting connector (also: another connector's grant). */
  provision_grant_unknown: ErrorReason.NotFound,
  /** The report contradicts the grant it names (side, peer, data use, items, purpose or consent). */
  provision_mismatch: ErrorReason.Conflict,
} as const;
/** One code of {@link ProvisionErrorCodes}. */
export type ProvisionErrorCode = keyof typeof ProvisionErrorCodes;

/** The standard message of each code, Japanese first; a connector logs it with the dropped report. */
export const PROVISION_ERROR_MESSAGES: Record<ProvisionErrorCode, { ja: string; en: string }> = {
  provision_grant_unknown: { ja: 'この提供許可はこのコネクタに発行されたものではありません。', en: 'No such grant was issued to or for this connector.' },
  provision_mismatch: { ja: '提供記録の内容が提供許可と一致しません。', en: 'The report does not match the grant it names.' },
};

/** Whether a refusal of a report is final (drop it) rather than worth a retry. */
export function isFinalProvisionRefusal(status: number): boolean {
  return status === 400 || status === 404 || status === 409 || status === 422;
}
