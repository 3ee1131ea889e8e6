import { IDENTITY_PROOFING_ERROR_MESSAGES } from '@tsunagu/contracts';
import { JPKI_ERROR_CODES, JPKI_ERROR_MESSAGES } from '@tsunagu/jpki';
import { JpkiException } from './jpki.exception';

describe(JpkiException.name, () => {
  it('answers a verifier refusal with the words of @tsunagu/jpki, as the contracts table publishes them', () => {
    for (const code of JPKI_ERROR_CODES) {
      expect(IDENTITY_PROOFING_ERROR_MESSAGES[code]).toEqual(JPKI_ERROR_MESSAGES[code]);
      expect(new JpkiException(code).bilingual).toEqual(JPKI_ERROR_MESSAGES[code]);
    }
  });

  it('takes the hub\'s own codes\' messages from the table', () => {
    expect(new JpkiException('jpki_challenge_used')).toMatchObject({ code: 'jpki_challenge_used', bilingual: IDENTITY_PROOFING_ERROR_MESSAGES.jpki_challenge_used });
  });
});
