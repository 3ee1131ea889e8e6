import { join } from 'node:path';
import { BilingualDocument } from './site-documents';
import { contactPage, documentPage } from './site.views';

describe('site pages', () => {
  describe(contactPage.name, () => {
    it('shows the desk the operator configured, in the page language', () => {
      const page = contactPage({ lang: 'en', contact: { CONTACT_DESK_JA: '鳥取県 デジタル局', CONTACT_DESK_EN: 'Digital Bureau, Tottori Prefecture', CONTACT_PHONE: '0857-00-0000', CONTACT_EMAIL: 'desk@example.jp', CONTACT_HOURS_JA: '平日 9時〜17時' } }).value;
      expect(page).toContain('Digital Bureau, Tottori Prefecture');
      expect(page).toContain('href="tel:0857000000"');
      expect(page).toContain('href="mailto:desk@example.jp"');
      // No English hours configured: the Japanese ones rather than none.
      expect(page).toContain('平日 9時〜17時');
      expect(page).not.toContain('contact-desk-unset');
    });

    it('says where to ask while no desk is configured, instead of showing an empty card', () => {
      const page = contactPage({ lang: 'ja', contact: {} }).value;
      expect(page).toContain('data-testid="contact-desk-unset"');
      expect(page).toContain('お住まいの市町村の窓口');
      expect(page).not.toContain('data-testid="contact-desk"');
    });

    it('escapes what the operator typed', () => {
      expect(contactPage({ lang: 'ja', contact: { CONTACT_DESK_JA: '<script>x</script>' } }).value).toContain('&lt;script&gt;');
    });
  });

  describe(documentPage.name, () => {
    it('renders the privacy policy in each language, with the site footer', () => {
      const document = new BilingualDocument(join('docs', 'policies', 'privacy.md'));
      const ja = documentPage({ lang: 'ja', path: '/privacy', title: 'プライバシーポリシー', document: document.render('ja') }).value;
      expect(ja).toContain('<h1 id=');
      expect(ja).toContain('提供されたデータの中身は本基盤を通らず、保存しません。');
      expect(ja).toContain('<a href="/terms">利用規約</a>');
      const en = documentPage({ lang: 'en', path: '/privacy', title: 'Privacy policy', document: document.render('en') }).value;
      expect(en).toContain('The data itself never passes through the platform and is never kept.');
      expect(en).not.toContain('本基盤');
    });

    it('says the page cannot be shown when the deployment lacks the document', () => {
      const missing = new BilingualDocument(join('docs', 'policies', 'no-such.md'));
      expect(missing.render('ja')).toBeUndefined();
      expect(documentPage({ lang: 'ja', path: '/terms', title: '利用規約', document: undefined }).value).toContain('class="alert"');
    });
  });
});
