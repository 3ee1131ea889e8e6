import { ADMIN_ERROR_MESSAGES, ADMIN_ERROR_MESSAGES_WITH_VALUE, AdminErrorCodes } from './admin';
import { COMPLIANCE_ERROR_MESSAGES, ComplianceErrorCodes } from './compliance';
import { CONNECTOR_ERROR_MESSAGES, ConnectorErrorCodes } from './connector-errors';
import { PROVISION_ERROR_MESSAGES, ProvisionErrorCodes } from './connector-provisions';
import { CONSENT_ERROR_MESSAGES, ConsentErrorCodes } from './consent';
import { DEPARTURE_ERROR_MESSAGES, DepartureErrorCodes } from './departure';
import { TENANT_EXIT_ERROR_MESSAGES, TenantExitErrorCodes } from './tenant-archive';
import { PORTAL_ERROR_MESSAGES, PortalErrorCodes } from './consent-portal';
import { IDENTITY_PROOFING_ERROR_MESSAGES, IdentityProofingErrorCodes } from './identity-proofing';
import { INPUT_ERROR_MESSAGES, InputErrorCodes } from './input';
import { LINK_ERROR_MESSAGES, LinkErrorCodes } from './links';
import { REQUEST_ORIGIN_ERROR_MESSAGES, RequestOriginErrorCodes } from './request-origin';
import { RECOVERY_ERROR_MESSAGES, RecoveryErrorCodes, SESSION_ERROR_MESSAGES, SessionErrorCodes } from './recovery';
import { RESIDENT_ERROR_MESSAGES, ResidentErrorCodes } from './residents';
import { THROTTLE_ERROR_MESSAGES, THROTTLE_ERROR_MESSAGES_WITH_VALUE, ThrottleErrorCodes } from './throttle';

type Table = Record<string, { ja: string; en: string }>;

/** Every published code list beside its messages table. */
const tables: [string, Record<string, unknown>, Table][] = [
  ['ADMIN_ERROR_MESSAGES', AdminErrorCodes, ADMIN_ERROR_MESSAGES],
  ['COMPLIANCE_ERROR_MESSAGES', ComplianceErrorCodes, COMPLIANCE_ERROR_MESSAGES],
  ['CONNECTOR_ERROR_MESSAGES', ConnectorErrorCodes, CONNECTOR_ERROR_MESSAGES],
  ['PROVISION_ERROR_MESSAGES', ProvisionErrorCodes, PROVISION_ERROR_MESSAGES],
  ['CONSENT_ERROR_MESSAGES', ConsentErrorCodes, CONSENT_ERROR_MESSAGES],
  ['DEPARTURE_ERROR_MESSAGES', DepartureErrorCodes, DEPARTURE_ERROR_MESSAGES],
  ['TENANT_EXIT_ERROR_MESSAGES', TenantExitErrorCodes, TENANT_EXIT_ERROR_MESSAGES],
  ['PORTAL_ERROR_MESSAGES', PortalErrorCodes, PORTAL_ERROR_MESSAGES],
  ['IDENTITY_PROOFING_ERROR_MESSAGES', IdentityProofingErrorCodes, IDENTITY_PROOFING_ERROR_MESSAGES],
  ['INPUT_ERROR_MESSAGES', InputErrorCodes, INPUT_ERROR_MESSAGES],
  ['LINK_ERROR_MESSAGES', LinkErrorCodes, LINK_ERROR_MESSAGES],
  ['REQUEST_ORIGIN_ERROR_MESSAGES', RequestOriginErrorCodes, REQUEST_ORIGIN_ERROR_MESSAGES],
  ['RECOVERY_ERROR_MESSAGES', RecoveryErrorCodes, RECOVERY_ERROR_MESSAGES],
  ['SESSION_ERROR_MESSAGES', SessionErrorCodes, SESSION_ERROR_MESSAGES],
  ['RESIDENT_ERROR_MESSAGES', ResidentErrorCodes, RESIDENT_ERROR_MESSAGES],
  ['THROTTLE_ERROR_MESSAGES', ThrottleErrorCodes, THROTTLE_ERROR_MESSAGES],
];

const valueTables: [string, Record<string, (value: number) => { ja: string; en: string }>, Record<string, unknown>][] = [
  ['ADMIN_ERROR_MESSAGES_WITH_VALUE', ADMIN_ERROR_MESSAGES_WITH_VALUE, AdminErrorCodes],
  ['THROTTLE_ERROR_MESSAGES_WITH_VALUE', THROTTLE_ERROR_MESSAGES_WITH_VALUE, ThrottleErrorCodes],
];

const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;

describe('error message tables', () => {
  describe.each(tables)('%s', (_name, codes, messages) => {
    it('has exactly one message for every code of its list', () => {
      expect(Object.keys(messages).sort()).toEqual(Object.keys(codes).sort());
    });

    it.each(Object.keys(codes))('says %s in words, Japanese and English', (code) => {
      const { ja, en } = messages[code];
      expect(ja.trim()).not.toBe('');
      expect(en.trim()).not.toBe('');
      expect(ja).toMatch(japanese);
      expect(ja).not.toContain(code);
      expect(en).not.toContain(code);
    });
  });

  describe.each(valueTables)('%s', (_name, withValue, codes) => {
    it.each(Object.keys(withValue))('puts the value into both texts of %s', (code) => {
      expect(Object.keys(codes)).toContain(code);
      const { ja, en } = withValue[code](37);
      expect(ja).toMatch(japanese);
      expect(ja).toContain('37');
      expect(en).toContain('37');
    });
  });
});
