import { timeOrderedId } from './time-ordered-id';

describe('timeOrderedId', () => {
  it('is a version 7, variant 1 UUID carrying the time', () => {
    const id = timeOrderedId(Date.UTC(2026, 11, 1));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.UTC(2026, 11, 1));
  });

  it('sorts by time', () => {
    expect(timeOrderedId(1000) < timeOrderedId(2000)).toBe(true);
  });
});
