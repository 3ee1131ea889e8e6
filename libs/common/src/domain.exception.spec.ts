import { ErrorReason } from '@tsunagu/contracts';
import { DomainException, exceptionFor } from './domain.exception';

const reasons = { thing_not_found: ErrorReason.NotFound, thing_locked: ErrorReason.Conflict } as const;
const messages = {
  thing_not_found: { ja: '見つかりません。', en: 'The thing was not found.' },
  thing_locked: { ja: 'ロックされています。', en: 'The thing is locked.' },
};

describe(exceptionFor.name, () => {
  const ThingException = exceptionFor('ThingException', reasons, messages);

  it('takes the message of the code from the table, with the code\'s reason', () => {
    const error = new ThingException('thing_not_found');
    expect(error).toBeInstanceOf(DomainException);
    expect(error).toBeInstanceOf(ThingException);
    expect(error).toMatchObject({ name: 'ThingException', code: 'thing_not_found', reason: ErrorReason.NotFound, bilingual: messages.thing_not_found, details: undefined });
    expect(error.message).toBe('The thing was not found.');
  });

  it('keeps the table\'s message when only details are given', () => {
    const details = [{ field: 'count', problem: '3' }];
    expect(new ThingException('thing_locked', details)).toMatchObject({ bilingual: messages.thing_locked, details, reason: ErrorReason.Conflict });
  });

  it('lets a message that carries a value override the table, with or without details', () => {
    const message = { ja: '3分間ロックされています。', en: 'Locked for 3 minutes.' };
    expect(new ThingException('thing_locked', message)).toMatchObject({ bilingual: message, details: undefined });
    const details = [{ field: 'minutes', problem: '3' }];
    expect(new ThingException('thing_locked', message, details)).toMatchObject({ bilingual: message, details });
  });

  it('still builds a class without a table, whose throws name their message', () => {
    const Legacy = exceptionFor('LegacyException', reasons);
    const message = { ja: 'ロックされています。', en: 'Locked.' };
    expect(new Legacy('thing_locked', message)).toMatchObject({ name: 'LegacyException', bilingual: message, reason: ErrorReason.Conflict });
  });
});
