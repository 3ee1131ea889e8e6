import { renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('renders headings, paragraphs, lists, notes and inline markup', () => {
    const { html, headings } = renderMarkdown('# 使い方\n\n最初の段落\nの続き。\n\n- **太字** と `code`\n- [ポータル](/portal/consents)\n\n1. one\n2. two\n\n> 注意です\n\n---');
    expect(html).toBe([
      '<h1 id="s1">使い方</h1>',
      '<p>最初の段落 の続き。</p>',
      '<ul><li><strong>太字</strong> と <code>code</code></li><li><a href="/portal/consents">ポータル</a></li></ul>',
      '<ol><li>one</li><li>two</li></ol>',
      '<div class="notice">注意です</div>',
      '<hr>',
    ].join('\n'));
    expect(headings).toEqual([{ level: 1, text: '使い方', id: 's1' }]);
  });

  it('nests indented bullets under the item above and keeps the numbering going', () => {
    const { html } = renderMarkdown('1. one\n2. two:\n   - a\n   - b\n3. three');
    expect(html).toBe('<ol><li>one</li><li>two:<ul><li>a</li><li>b</li></ul></li><li>three</li></ol>');
  });

  it('takes a heading\'s anchor from {#anchor}, else numbers it by position', () => {
    const { html, headings } = renderMarkdown('# Manual\n\n## 2. Identity {#identity}\n\n### Not {#Bad id}');
    expect(html).toBe('<h1 id="s1">Manual</h1>\n<h2 id="identity">2. Identity</h2>\n<h3 id="s3">Not {#Bad id}</h3>');
    expect(headings.map((h) => [h.id, h.text])).toEqual([['s1', 'Manual'], ['identity', '2. Identity'], ['s3', 'Not {#Bad id}']]);
  });

  it('escapes markup in the source and refuses links to other schemes', () => {
    const { html } = renderMarkdown('<script>alert(1)</script> [x](javascript:alert(1)) [y](//evil.example) `<b>`');
    expect(html).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1)) [y](//evil.example) <code>&lt;b&gt;</code></p>');
  });
});
