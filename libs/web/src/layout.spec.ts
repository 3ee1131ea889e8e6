import { html } from './html';
import { baseCss, page, tokensFor } from './layout';

describe('page', () => {
  it('inlines the design tokens the stylesheet uses, with the tokens they refer to', () => {
    expect(tokensFor('a{color:var(--color-semantic-error-1)}')).toBe(':root{--color-primitive-red-800:#ec0000;--color-semantic-error-1:var(--color-primitive-red-800)}');
    expect(baseCss).toContain('--color-primitive-blue-900:#0017c1');
    expect(baseCss).not.toContain('--color-primitive-lime-50');
  });

  it('keeps the short colour names the demo services\' stylesheets use', () => {
    for (const name of ['--blue-50', '--blue-900', '--blue-1000', '--grey-600']) expect(baseCss).toContain(`${name}:`);
  });

  it('renders the shell with a skip link, an optional navigation and the language switch', () => {
    const plain = page({ lang: 'ja', title: 'T', body: html`<p>x</p>`, path: '/a' }).value;
    expect(plain).toContain('<html lang="ja">');
    expect(plain).toContain('href="/a?lang=en"');
    expect(plain).not.toContain('<nav');
    const withNav = page({ lang: 'en', title: 'T', body: html``, nav: html`<ul><li>x</li></ul>` }).value;
    expect(withNav).toContain('<nav class="site" aria-label="Main menu"><ul>');
    expect(withNav).toContain('Skip to main content');
  });

  it('names the site in every title once, and shows who runs it under the brand', () => {
    const shell = page({ lang: 'ja', title: 'マイページ', body: html``, brand: 'Tsunagu', brandNote: '鳥取県 パーソナル系データ連携基盤', siteName: 'Tsunagu 鳥取県' }).value;
    expect(shell).toContain('<title>マイページ | Tsunagu 鳥取県</title>');
    expect(shell).toContain('<span class="brand-note">鳥取県 パーソナル系データ連携基盤</span>');
    expect(page({ lang: 'ja', title: 'Tsunagu 鳥取県', body: html``, siteName: 'Tsunagu 鳥取県' }).value).toContain('<title>Tsunagu 鳥取県</title>');
  });
});
