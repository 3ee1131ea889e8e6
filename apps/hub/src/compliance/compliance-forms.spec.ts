import { schemaValidator } from '@tsunagu/common';
import { incidentFormSchema, incidentReportFormSchema, INQUIRY_MESSAGE_MAX, inquiryFormSchema, inquiryLookupFormSchema } from '@tsunagu/contracts';
import { parseJapanTime } from './plain-text';

/** The boundary checks of the compliance forms (the services add plain-text and time rules). */
describe('compliance form schemas', () => {
  const valid = (schema: object, body: unknown) => schemaValidator(schema)(body);

  it('refuses an oversized inquiry, an unknown field and an unknown category', () => {
    expect(valid(inquiryFormSchema, { category: 'usage', message: 'あ'.repeat(INQUIRY_MESSAGE_MAX) })).toBe(true);
    expect(valid(inquiryFormSchema, { category: 'usage', message: 'あ'.repeat(INQUIRY_MESSAGE_MAX + 1) })).toBe(false);
    expect(valid(inquiryFormSchema, { category: 'usage', message: 'x', admin: 'yes' })).toBe(false);
    expect(valid(inquiryFormSchema, { category: 'spam', message: 'x' })).toBe(false);
  });

  it('takes only receipt numbers and keys of their form for a lookup', () => {
    expect(valid(inquiryLookupFormSchema, { receipt: 'Q-20261202-ABC123', key: 'a'.repeat(32) })).toBe(true);
    expect(valid(inquiryLookupFormSchema, { receipt: "Q-20261202-ABC123' OR 1=1", key: 'a'.repeat(32) })).toBe(false);
  });

  it('needs the discovery time, the count as digits and a known report stage', () => {
    const base = { title: 't', discoveredAt: '2026-12-01T10:00', summary: 's', items: 'i', affectedCount: '3', reporter: 'r' };
    expect(valid(incidentFormSchema, base)).toBe(true);
    expect(valid(incidentFormSchema, { ...base, affectedCount: '-1' })).toBe(false);
    expect(valid(incidentFormSchema, { ...base, discoveredAt: 'yesterday' })).toBe(false);
    expect(valid(incidentReportFormSchema, { stage: 'later', sentAt: '2026-12-01T10:00', sentTo: 'x' })).toBe(false);
  });

  it('reads form times as Japan time and refuses impossible dates', () => {
    expect(parseJapanTime('2026-12-02T09:00')?.toISOString()).toBe('2026-12-02T00:00:00.000Z');
    expect(parseJapanTime('2026-02-30T09:00')).toBeUndefined();
  });
});
