import { escapeHtml, html } from '../../api/web/html';

// Poison text from tickets and names must print as text wherever a page puts it.
describe('the console’s HTML escaping', () => {
  it('prints markup as text, in content and in attributes', () => {
    const title = '<script>alert("x")</script> & \'quotes\'';
    const page = html`<p title="${title}">${title}</p>`.text;
    expect(page).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;</p>',
    );
    expect(page).not.toContain('<script>');
  });

  it('replaces NUL and lone surrogates, and keeps CR/LF from breaking an attribute', () => {
    expect(escapeHtml('a\0b')).toBe('a\uFFFDb');
    expect(escapeHtml('x\uD800y\uDC00z')).toBe('x\uFFFDy\uFFFDz');
    expect(escapeHtml('😀')).toBe('😀');
    expect(html`<input value="${'line\r\nInjected: yes'}">`.text).toBe('<input value="line&#13;&#10;Injected: yes">');
  });

  it('nests templates without escaping them twice, and prints nothing for false or absent values', () => {
    const items = ['<a>', 'b'].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}${false}${undefined}${null}</ul>`.text).toBe('<ul><li>&lt;a&gt;</li><li>b</li></ul>');
    expect(html`${0}`.text).toBe('0');
  });
});
