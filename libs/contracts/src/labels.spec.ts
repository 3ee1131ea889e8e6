import { Acr, Amr } from './assurance';
import { CONSENT_STATES } from './consent';
import { PROVISION_RECEIPTS } from './consent-portal';
import { ACR_LABELS, acrLabel, AMR_LABELS, amrLabel, CONSENT_STATE_LABELS, PROVISION_OUTCOME_LABELS, PROVISION_RECEIPT_LABELS } from './labels';

const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;

describe('label tables', () => {
  const tables: [string, string[], Record<string, { ja: string; en: string }>][] = [
    ['ACR_LABELS', Object.values(Acr), ACR_LABELS],
    ['AMR_LABELS', Object.values(Amr), AMR_LABELS],
    ['CONSENT_STATE_LABELS', [...CONSENT_STATES], CONSENT_STATE_LABELS],
    ['PROVISION_OUTCOME_LABELS', ['provided', 'refused'], PROVISION_OUTCOME_LABELS],
    ['PROVISION_RECEIPT_LABELS', [...PROVISION_RECEIPTS], PROVISION_RECEIPT_LABELS],
  ];

  describe.each(tables)('%s', (_name, codes, labels) => {
    it('has exactly one label for every code', () => {
      expect(Object.keys(labels).sort()).toEqual([...codes].sort());
    });

    it.each(codes)('says %s in words, Japanese and English, without the code', (code) => {
      const { ja, en } = labels[code];
      expect(ja).toMatch(japanese);
      expect(en.trim()).not.toBe('');
      expect(`${ja} ${en}`).not.toContain(code);
    });
  });

  it('names the published acr and amr values, and an unknown one without showing it', () => {
    expect(acrLabel(Acr.Password).ja).toBe('パスワードでログイン（本人確認なし）');
    expect(acrLabel(Acr.JpkiVerified).en).toBe('Identity confirmed with the My Number card');
    expect(amrLabel('sc').ja).toContain('マイナンバーカード');
    for (const unknown of ['urn:example:loa:9', 'toString', '__proto__']) {
      expect(JSON.stringify(acrLabel(unknown))).not.toContain(unknown);
      expect(JSON.stringify(amrLabel(unknown))).not.toContain(unknown);
      expect(acrLabel(unknown).ja).toMatch(japanese);
    }
  });
});
