import { DomainException } from '@tsunagu/common';
import { ConfirmationRequired, ConfirmedAction } from './confirm';

describe(ConfirmedAction.name, () => {
  const pipe = new ConfirmedAction('revoke');

  it('passes the form on when it names the action', () => {
    expect(pipe.transform({ csrf: 't', confirm: 'revoke', reason: 'key leaked' })).toEqual({ csrf: 't', confirm: 'revoke', reason: 'key leaked' });
  });

  it.each([
    ['no confirm field', { csrf: 't' }],
    ['an empty body', undefined],
    ['another action\'s confirmation', { csrf: 't', confirm: 'delete' }],
    ['a truthy value that is not the action', { csrf: 't', confirm: 'yes' }],
  ])('refuses %s with a clear, typed error', (_, body) => {
    let error: unknown;
    try {
      pipe.transform(body);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfirmationRequired);
    expect(error).toMatchObject({ code: 'confirmation_required', details: [{ field: 'confirm', problem: expect.stringContaining('"revoke"') }] });
    expect((error as DomainException).bilingual.ja).toContain('確認画面');
  });

  it('refuses unknown fields as every admin form does', () => {
    expect(() => pipe.transform({ confirm: 'revoke', tenantId: 'x' })).toThrow(DomainException);
    expect(() => pipe.transform({ confirm: 'revoke', tenantId: 'x' })).not.toThrow(ConfirmationRequired);
  });
});
