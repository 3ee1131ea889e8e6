import { adminAccountCreateFormSchema, maintenanceNoticeFormSchema } from '@tsunagu/contracts';
import { assertValid } from './ajv-body.pipe';
import { findTextProblem, isCleanText, MAX_NESTING, textProblem } from './input-text';

describe('the shared text rule', () => {
  it('refuses lone surrogates and control characters, and lets line breaks through only in multi-line text', () => {
    expect(textProblem('とっとり 太郎')).toBeUndefined();
    expect(textProblem('\ud83d\ude00')).toBeUndefined(); // a surrogate pair is well-formed
    expect(textProblem('a\ud800b')).toBe('not_well_formed');
    expect(textProblem('a\u0000')).toBe('control_character');
    expect(textProblem('a\nb')).toBe('control_character');
    expect(textProblem('a\r\n\tb', true)).toBeUndefined();
    expect(textProblem('a\u0000', true)).toBe('control_character');
    expect(isCleanText(42)).toBe(false);
  });

  it('finds the first bad string in a parsed body, keys included', () => {
    expect(findTextProblem({ a: ['ok', { b: 'x\u0000' }] }, true)).toEqual({ field: 'a[1].b', problem: 'control_character' });
    expect(findTextProblem({ ['k\ud800']: 1 }, true)).toEqual({ field: '(key)', problem: 'not_well_formed' });
    expect(findTextProblem({ a: 1, b: null, c: 'fine\n' }, true)).toBeUndefined();
    expect(findTextProblem({ a: 'x\u0001', b: 'y\u0000' }, true)).toEqual({ field: 'a', problem: 'control_character' });
  });

  it('refuses a value nested deeper than MAX_NESTING, however deep, without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(findTextProblem(deep, true)).toEqual({ field: `${'[0]'.repeat(MAX_NESTING)}`, problem: 'too_deep' });
    expect(findTextProblem(JSON.parse(`${'{"a":'.repeat(MAX_NESTING)}1${'}'.repeat(MAX_NESTING)}`), true)).toBeUndefined();
    expect(findTextProblem(JSON.parse(`${'{"a":'.repeat(MAX_NESTING + 1)}1${'}'.repeat(MAX_NESTING + 1)}`), true)?.problem).toBe('too_deep');
  });

  it('refuses a blank or multi-line name in the admin forms (an all-space display name broke a CHECK constraint)', () => {
    const form = (displayName: string) => () => assertValid(adminAccountCreateFormSchema, { loginId: 'tenant.admin', displayName });
    expect(form('山田 花子')).not.toThrow();
    for (const bad of ['   ', '\u3000', 'a\nb', 'a\u0000']) expect(form(bad)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    const notice = { startsAt: '2026-12-01T10:00', endsAt: '2026-12-01T11:00', titleJa: '停止', titleEn: 'Stop', bodyEn: 'Line 1\nLine 2' };
    expect(() => assertValid(maintenanceNoticeFormSchema, { ...notice, bodyJa: '一行目\r\n二行目' })).not.toThrow();
    expect(() => assertValid(maintenanceNoticeFormSchema, { ...notice, bodyJa: ' \n ' })).toThrow();
  });
});
