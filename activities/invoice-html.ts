import { invoiceLayout, type LayoutRow } from '../domain/invoicing/layout';
import type { InvoiceDocument } from '../domain/invoicing/document';

// Every value is escaped, whoever typed it: ticket titles, customer names and addresses come from outside.
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);

const cells = (row: LayoutRow, tag: 'td' | 'th') =>
  `<${tag}>${escapeHtml(row.description)}</${tag}><${tag} class="num">${escapeHtml(row.quantity)}</${tag}><${tag} class="num">${escapeHtml(row.rate)}</${tag}><${tag} class="num">${escapeHtml(row.amount)}</${tag}>`;

const lines = (items: readonly string[]) => items.map(escapeHtml).join('<br>');

const STYLE = `body{font-family:sans-serif;max-width:52rem;margin:2rem auto;color:#222}header{display:flex;justify-content:space-between;gap:2rem}
table{border-collapse:collapse;width:100%}td,th{padding:3px 8px;border-bottom:1px solid #ddd;text-align:left}.num{text-align:right}
.logo{display:block;max-height:4rem;max-width:14rem;margin-bottom:1rem}.group th{background:#f3f3f3}.totals td{border:none}.strong{font-weight:bold}footer{margin-top:2rem;font-size:.8rem;color:#555}`;

/**
 * The invoice as a self-contained page in the customer's language, from the document stored at issue. The logo is
 * inline (a data: URI), the one kind of image the page's Content-Security-Policy lets in (api/security-headers.ts).
 */
export function renderInvoiceHtml(document: InvoiceDocument): string {
  const layout = invoiceLayout(document);
  return `<!doctype html>
<html lang="${layout.language}"><head><meta charset="utf-8"><title>${escapeHtml(layout.title)}</title>
<style>${STYLE}</style>
</head><body>
${layout.logo ? `<img class="logo" alt="${escapeHtml(layout.logo.alt)}" src="data:${escapeHtml(layout.logo.mediaType)};base64,${escapeHtml(layout.logo.data)}">\n` : ''}<header>
<section class="seller"><h2>${escapeHtml(layout.seller.heading)}</h2><p>${lines(layout.seller.lines)}</p></section>
<section class="buyer"><h2>${escapeHtml(layout.buyer.heading)}</h2><p>${lines(layout.buyer.lines)}</p></section>
</header>
<h1>${escapeHtml(layout.title)}</h1>
<dl>${layout.meta.map(({ label, value }) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>
<table>
<thead><tr>${cells(layout.columns, 'th')}</tr></thead>
${layout.groups.map((group) => `<tbody><tr class="group"><th colspan="4">${escapeHtml(group.heading)}</th></tr>\n${group.rows.map((row) => `<tr>${cells(row, 'td')}</tr>`).join('\n')}</tbody>`).join('\n')}
<tfoot class="totals">${layout.totals.map(({ label, value, strong }) => `<tr${strong ? ' class="strong"' : ''}><td colspan="3" class="num">${escapeHtml(label)}</td><td class="num">${escapeHtml(value)}</td></tr>`).join('')}</tfoot>
</table>
${layout.vatMention ? `<p class="vat-mention"><strong>${escapeHtml(layout.vatMention)}</strong></p>\n` : ''}<section class="payment"><p>${lines(layout.payment)}</p></section>
${layout.prepaid ? `<section class="prepaid"><h2>${escapeHtml(layout.prepaid.heading)}</h2><ul>${layout.prepaid.lines.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul></section>\n` : ''}<footer>${layout.footer.map((line) => `<p>${escapeHtml(line)}</p>`).join('')}</footer>
</body></html>
`;
}
