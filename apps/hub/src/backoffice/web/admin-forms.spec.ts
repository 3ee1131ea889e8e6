import { AdminException } from '../../platform/access/admin.exception';
import { serviceCreateFormSchema } from '@tsunagu/contracts';
import { type FormFields, FormInvalid, formErrorView, submitted, validForm } from './admin-forms';

const fields: FormFields = {
  clientId: { label: { ja: 'クライアントID', en: 'Client ID' }, hint: { ja: '半角英小文字で3〜64文字。', en: '3–64 lower-case letters.' } },
  nameJa: { label: { ja: 'サービス名（日本語）', en: 'Service name (Japanese)' } },
  nameEn: { label: { ja: 'サービス名（英語）', en: 'Service name (English)' } },
  redirectUris: { label: { ja: 'リダイレクトURI', en: 'Redirect URIs' } },
  authMethod: { label: { ja: 'クライアント認証方式', en: 'Client authentication' } },
};
const good = { clientId: 'misasa-stamp', nameJa: 'スタンプ', nameEn: 'Stamps', redirectUris: 'https://a.example.jp/cb', authMethod: 'none', csrf: 'token' };

function refusal(body: unknown): FormInvalid {
  try {
    validForm(serviceCreateFormSchema, body);
  } catch (error) {
    if (error instanceof FormInvalid) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('validForm', () => {
  it('accepts a valid form as it is', () => {
    expect(validForm(serviceCreateFormSchema, good)).toEqual(good);
  });

  it('says in Japanese and English what is wrong with each field, by the field\'s name on the page', () => {
    const error = refusal({ ...good, nameJa: 'あ'.repeat(101), nameEn: '', clientId: 'BAD ID', authMethod: 'magic', redirectUris: undefined });
    const ja = formErrorView(error, 'ja', fields);
    expect(Object.fromEntries(ja.fields.map((f) => [f.field, f.message]))).toEqual({
      nameJa: '「サービス名（日本語）」は100文字以内にしてください（いまは101文字です）。',
      nameEn: '「サービス名（英語）」を入力してください。',
      clientId: '「クライアントID」の形式が正しくありません。 半角英小文字で3〜64文字。',
      authMethod: '「クライアント認証方式」は表示された選択肢から選んでください。',
      redirectUris: '「リダイレクトURI」を入力してください。',
    });
    expect(ja.message).toContain('入力した内容はそのまま残っています');
    const en = formErrorView(error, 'en', fields);
    expect(en.fields.find((f) => f.field === 'nameJa')?.message).toBe('"Service name (Japanese)" can have at most 100 characters (it has 101).');
    // No raw validator English reaches the words; it stays in the details for API clients and support.
    expect(ja.fields.map((f) => f.message).join()).not.toMatch(/must/);
    expect(error.details).toEqual(expect.arrayContaining([{ field: 'nameJa', problem: 'must NOT have more than 100 characters' }]));
  });

  it('counts a required field of spaces only as empty', () => {
    const error = refusal({ ...good, nameJa: '   ' });
    expect(formErrorView(error, 'ja', fields).fields).toEqual([{ field: 'nameJa', label: 'サービス名（日本語）', message: '「サービス名（日本語）」を入力してください。' }]);
  });

  it('refuses an unknown field without naming it as the words', () => {
    const error = refusal({ ...good, tenantId: 'x' });
    expect(error.details).toEqual([{ field: 'tenantId', problem: 'unknown field' }]);
    expect(formErrorView(error, 'ja', fields).fields[0].message).toBe('この画面にない項目が送られました。画面を開き直して、もう一度入力してください。');
  });
});

describe('formErrorView', () => {
  it('puts a refusal by the rules beside the fields it names, in its code\'s words', () => {
    const error = new AdminException('invalid_redirect_uri', [{ field: 'redirectUris', problem: 'http://a.example.jp/cb: must use https' }]);
    const view = formErrorView(error, 'ja', fields);
    expect(view.fields).toEqual([{ field: 'redirectUris', label: 'リダイレクトURI', message: expect.stringContaining('リダイレクトURIに誤りがあります') }]);
    expect(view.support).toEqual([{ field: 'redirectUris', problem: 'http://a.example.jp/cb: must use https' }]);
  });
});

describe('submitted', () => {
  it('keeps what was typed, but never the CSRF token or a password', () => {
    expect(submitted({ nameJa: 'スタンプ', csrf: 'token', newPassword: 'secret-secret', count: 3 })).toEqual({ nameJa: 'スタンプ' });
    expect(submitted(undefined)).toEqual({});
  });
});
