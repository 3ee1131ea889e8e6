import { MappingError, mapResponse, resolvePointer } from './json-mapping';

describe(mapResponse.name, () => {
  const doc = { days: [{ day: '2026-11-21', steps: 6800, heartRate: 70 }], 'a/b': { '~x': 1 }, total: 0 };

  it('resolves JSON Pointers through objects and arrays, with ~0 and ~1 escapes', () => {
    expect(resolvePointer(doc, '')).toEqual({ found: true, value: doc });
    expect(resolvePointer(doc, '/days/0/steps')).toEqual({ found: true, value: 6800 });
    expect(resolvePointer(doc, '/a~1b/~0x')).toEqual({ found: true, value: 1 });
    expect(resolvePointer(doc, '/total')).toEqual({ found: true, value: 0 });
    expect(resolvePointer(doc, '/days/1')).toEqual({ found: false });
    expect(resolvePointer(doc, '/days/01')).toEqual({ found: false });
  });

  it('never walks the prototype chain', () => {
    expect(resolvePointer({}, '/constructor')).toEqual({ found: false });
    expect(resolvePointer({}, '/__proto__')).toEqual({ found: false });
    expect(resolvePointer([], '/length')).toEqual({ found: false });
  });

  it('reshapes each element of the selected array and drops fields it was not told to copy', () => {
    expect(mapResponse(doc, '/days', { date: '/day', steps: '/steps' })).toEqual([{ date: '2026-11-21', steps: 6800 }]);
  });

  it('reshapes a selected object, leaving out fields that are absent', () => {
    expect(mapResponse({ pointsBalance: 5, asOf: 'x' }, '', { points: '/pointsBalance', asOf: '/asOf', extra: '/nope' })).toEqual({ points: 5, asOf: 'x' });
  });

  it('keeps a field named __proto__ as plain data', () => {
    const mapped = mapResponse({ v: { polluted: true } }, '', JSON.parse('{"__proto__": "/v"}') as Record<string, string>) as Record<string, unknown>;
    expect(Object.getPrototypeOf(mapped)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(mapped, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('fails when select finds nothing or fields meet a non-object', () => {
    expect(() => mapResponse(doc, '/weeks')).toThrow(MappingError);
    expect(() => mapResponse({ days: [1, 2] }, '/days', { d: '/day' })).toThrow(MappingError);
  });
});
