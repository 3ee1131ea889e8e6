import { ManualService } from './manual.service';
import { manualPage } from './manual.views';

/** The resident manual as served (docs/manuals/resident.md through the page), in both languages. */
describe('resident manual page', () => {
  const manuals = new ManualService();

  it.each(['ja', 'en'] as const)('numbers each section once, the same in the contents and on the section (%s)', (lang) => {
    const page = manualPage(lang, manuals.manual(lang)).value;
    const nav = /<nav aria-label="[^"]+" class="card">([\s\S]*?)<\/nav>/.exec(page)![1];
    // The headings carry the numbers: the contents list must not add a second one.
    expect(nav).not.toContain('<ol');
    const contents = [...nav.matchAll(/<li><a href="#([^"]+)">([^<]+)<\/a><\/li>/g)].map((m) => [m[1], m[2]]);
    const sections = [...page.matchAll(/<h2 id="([^"]+)">([^<]+)<\/h2>/g)].map((m) => [m[1], m[2]]);
    expect(contents).toEqual(sections);
    expect(sections.map(([, text]) => Number(/^(\d+)\. /.exec(text)?.[1]))).toEqual(sections.map((_, i) => i + 1));
  });

  it('has the same anchors in Japanese and English, unique, for every link into the manual', () => {
    const ids = (lang: 'ja' | 'en') => [...manuals.manual(lang)!.html.matchAll(/<h[2-4] id="([^"]+)">/g)].map((m) => m[1]).filter((id) => !/^s\d+$/.test(id));
    expect(ids('en')).toEqual(ids('ja'));
    expect(new Set(ids('ja')).size).toBe(ids('ja').length);
    // Linked from the receipt check page and named in the manual's own text.
    expect(ids('ja')).toEqual(expect.arrayContaining(['identity', 'verify-receipts', 'contact']));
  });

  it('has the identity verification and contact sections, and points to the receipt check page before the command', () => {
    for (const lang of ['ja', 'en'] as const) {
      const { html } = manuals.manual(lang)!;
      expect(html).toContain('<h2 id="identity">2. ');
      expect(html).toContain('<h2 id="leave">10. ');
      expect(html).toContain('<h2 id="contact">12. ');
      expect(html.indexOf('href="/portal/receipts/verify"')).toBeGreaterThan(0);
      expect(html.indexOf('href="/portal/receipts/verify"')).toBeLessThan(html.indexOf('npm run receipt:verify'));
    }
  });
});
