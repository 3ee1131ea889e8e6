import { html, raw } from './html';

describe('html', () => {
  it('escapes interpolated values', () => {
    expect(html`<p>${'<script>"x"&\''}</p>`.value).toBe('<p>&lt;script&gt;&quot;x&quot;&amp;&#39;</p>');
  });
  it('keeps nested templates and raw markup as they are', () => {
    const inner = html`<b>${'a<b'}</b>`;
    expect(html`<p>${inner}${raw('<i>ok</i>')}${[html`<br>`, 'x']}</p>`.value).toBe('<p><b>a&lt;b</b><i>ok</i><br>x</p>');
  });
  it('drops null, undefined and false', () => {
    expect(html`${null}${undefined}${false}${0}`.value).toBe('0');
  });
});
