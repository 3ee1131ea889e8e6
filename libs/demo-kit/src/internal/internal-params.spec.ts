import { InternalParamsPipe, MAX_PERIOD_DAYS, checkedPeriod, dayPeriodQuerySchema } from './internal-params';

describe(InternalParamsPipe.name, () => {
  const pipe = new InternalParamsPipe(dayPeriodQuerySchema);

  it('passes real calendar dates through', () => {
    expect(pipe.transform({ from: '2024-02-29', to: '2024-03-01' })).toEqual({ from: '2024-02-29', to: '2024-03-01' });
  });

  it('lists every problem at once: impossible dates, missing and unknown parameters', () => {
    expect(() => pipe.transform({ from: '2025-02-29', extra: '1' })).toThrow(expect.objectContaining({
      code: 'invalid_request',
      details: expect.arrayContaining([
        expect.objectContaining({ field: 'from' }), expect.objectContaining({ field: 'to' }), { field: 'extra', problem: 'unknown parameter' },
      ]),
    }));
  });

  it('refuses a repeated parameter (an array) and date-times', () => {
    expect(() => pipe.transform({ from: ['2026-11-01', '2026-11-02'], to: '2026-11-30' })).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    expect(() => pipe.transform({ from: '2026-11-01T00:00:00Z', to: '2026-11-30' })).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });
});

describe(checkedPeriod.name, () => {
  it(`accepts one day up to ${MAX_PERIOD_DAYS} days, both ends included`, () => {
    expect(checkedPeriod({ from: '2026-11-22', to: '2026-11-22' })).toEqual({ from: '2026-11-22', to: '2026-11-22' });
    expect(() => checkedPeriod({ from: '2025-11-22', to: '2026-11-22' })).not.toThrow(); // 366 days
  });

  it('refuses a reversed or longer period', () => {
    expect(() => checkedPeriod({ from: '2026-11-23', to: '2026-11-22' })).toThrow(expect.objectContaining({ code: 'invalid_request', details: [{ field: 'from', problem: 'is after to' }] }));
    expect(() => checkedPeriod({ from: '2025-11-21', to: '2026-11-22' })).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });
});
