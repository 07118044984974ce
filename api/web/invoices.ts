import type { Static } from '@sinclair/typebox';
import type { InvoiceDetail as StoredInvoice, InvoiceSummary } from '../../db/invoices';
import type { PrepaidAccount } from '../../db/prepaid';
import type { ContractInForce as ContractInForceSchema } from '../schemas/contracts';
import { problemText, type ApiAnswer } from './api-bridge';
import { html, type Html } from './html';
import { formatMinutes } from './i18n';
import { alertBox, type PageContext } from './page';

// The pages read the API's JSON: the stores' records, dates already ISO strings (api/routes/invoices.ts, prepaid.ts).
/** An invoice as GET /v1/invoices/:number gives it: the stored invoice and its lines, without the document. */
type InvoiceDetail = Omit<StoredInvoice, 'document'>;

/** Euros as the page's language writes them: 1 234,50 € or €1,234.50. */
export function euros(cents: number, language: PageContext['language']): string {
  return new Intl.NumberFormat(language === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency: 'EUR' }).format(
    cents / 100,
  );
}

const staff = (context: PageContext) => context.session?.role !== 'customer';

/** The invoices the person may read: a customer's own (GET /v1/invoices holds it to its company), any customer's for staff, newest first. */
export function invoiceListBody(context: PageContext, answer: ApiAnswer, customer: string | undefined): Html {
  const { t, language } = context;
  const invoices = answer.status === 200 ? [...(answer.body.invoices as InvoiceSummary[])].reverse() : [];
  return html`${
    staff(context)
      ? html`<form method="get" action="/console/invoices" class="filters" role="search">
<div><label for="customer">${t('customer')}</label><input id="customer" name="customer" value="${customer ?? ''}"></div>
<button type="submit">${t('filter')}</button></form>`
      : ''
  }
${answer.status === 200 ? '' : alertBox(problemText(answer))}
${
  invoices.length
    ? html`<div class="scroll"><table><thead><tr><th scope="col">${t('invoice')}</th>${staff(context) ? html`<th scope="col">${t('customer')}</th>` : ''}<th scope="col">${t('period')}</th><th scope="col">${t('issued')}</th><th scope="col" class="figure">${t('net')}</th><th scope="col" class="figure">${t('gross')}</th><th scope="col">PDF</th></tr></thead>
<tbody>${invoices.map(
        (
          invoice,
        ) => html`<tr><td><a href="/console/invoices/${invoice.number}">${invoice.number}</a></td>${staff(context) ? html`<td>${invoice.customerId}</td>` : ''}<td>${invoice.periodStart} – ${invoice.periodEnd}</td>
<td>${context.when(invoice.issuedAt)}</td><td class="figure">${euros(invoice.totalCents, language)}</td><td class="figure">${invoice.grossCents === undefined ? '–' : euros(invoice.grossCents, language)}</td>
<td><a href="/console/invoices/${invoice.number}/pdf" download="${invoice.number}.pdf" aria-label="${t('downloadPdf')} ${invoice.number}">PDF</a></td></tr>`,
      )}</tbody></table></div>`
    : html`<p>${t('noInvoices')}</p>`
}`;
}

/** One invoice: its figures and lines, a link to the document as the customer received it, and its PDF. */
export function invoiceBody(context: PageContext, invoice: InvoiceDetail): Html {
  const { t, language } = context;
  return html`<p class="links"><a class="button" href="/console/invoices/${invoice.number}/document">${t('viewInvoice')}</a>
<a class="button" href="/console/invoices/${invoice.number}/pdf" download="${invoice.number}.pdf">${t('downloadPdf')}</a></p>
<dl class="facts">
${staff(context) ? html`<dt>${t('customer')}</dt><dd>${invoice.customerId}</dd>` : ''}
<dt>${t('period')}</dt><dd>${invoice.periodStart} – ${invoice.periodEnd}</dd>
<dt>${t('issued')}</dt><dd>${context.when(invoice.issuedAt)}</dd>
<dt>${t('net')}</dt><dd>${euros(invoice.totalCents, language)}</dd>
${invoice.vatCents === undefined ? '' : html`<dt>${t('vat')}</dt><dd>${euros(invoice.vatCents, language)}</dd>`}
${invoice.grossCents === undefined ? '' : html`<dt>${t('gross')}</dt><dd>${euros(invoice.grossCents, language)}</dd>`}
</dl>
<h2>${t('lines')}</h2>
<div class="scroll"><table><thead><tr><th scope="col">${t('ticket')}</th><th scope="col">${t('description')}</th><th scope="col" class="figure">${t('duration')}</th><th scope="col" class="figure">${t('amount')}</th></tr></thead>
<tbody>${invoice.lines.map(
    (line) =>
      html`<tr><td>${line.ticketNumber ? html`<a href="/console/tickets/${line.ticketNumber}">${line.ticketNumber}</a>` : '–'}</td><td>${line.description}</td><td class="figure">${formatMinutes(line.minutes, language)}</td><td class="figure">${euros(line.amountCents, language)}</td></tr>`,
  )}</tbody></table></div>`;
}

/** A contract in force as GET /v1/contracts gives it: a view of the contract, which only its schema defines. */
type ContractInForce = Static<typeof ContractInForceSchema>;

function account(context: PageContext, contract: ContractInForce, answer: ApiAnswer): Html {
  const { t, language } = context;
  const hours = (minutes: number) => formatMinutes(minutes, language);
  const heading = html`<h2>${t('contract')} ${contract.id} · ${contract.policyId}${contract.tier ? ` (${contract.tier})` : ''}</h2>
<p>${t('validFrom')} ${contract.startsOn}${contract.endsOn ? ` ${t('validTo').toLowerCase()} ${contract.endsOn}` : ''}${staff(context) ? ` · ${contract.customerId}` : ''}</p>`;
  if (answer.status !== 200) return html`${heading}${alertBox(problemText(answer))}`;
  const prepaid = answer.body as unknown as PrepaidAccount;
  if (!prepaid.movements.length) return html`${heading}<p>${t('noMovements')}</p>`;
  return html`${heading}
<dl class="tiles">
<div><dt>${t('bought')}</dt><dd>${hours(prepaid.boughtMinutes)}</dd></div>
<div><dt>${t('used')}</dt><dd>${hours(prepaid.usedMinutes)}</dd></div>
<div><dt>${t('expired')}</dt><dd>${hours(prepaid.expiredMinutes)}</dd></div>
<div class="balance"><dt>${t('left', { year: prepaid.balanceYear })}</dt><dd>${hours(prepaid.balanceMinutes)}</dd></div>
</dl>
<h3>${t('movements')}</h3>
<div class="scroll"><table><thead><tr><th scope="col">${t('when')}</th><th scope="col">${t('movementKind')}</th><th scope="col">${t('description')}</th><th scope="col">${t('year')}</th><th scope="col" class="figure">${t('duration')}</th><th scope="col">${t('invoice')}</th></tr></thead>
<tbody>${prepaid.movements.map(
    (movement) => html`<tr><td>${context.when(movement.at)}</td><td>${t(movement.kind)}</td>
<td>${movement.ticketNumber ? html`<a href="/console/tickets/${movement.ticketNumber}">${movement.ticketNumber}</a> ` : ''}${movement.description}</td><td>${movement.year}</td>
<td class="figure">${hours(movement.minutes)}</td><td>${movement.invoiceNumber ? html`<a href="/console/invoices/${movement.invoiceNumber}">${movement.invoiceNumber}</a>` : '–'}</td></tr>`,
  )}</tbody></table></div>`;
}

/** Each contract in force with its prepaid hours: bought, used, expired, left this year, and every movement. */
export function prepaidBody(context: PageContext, contracts: ApiAnswer, accounts: readonly ApiAnswer[]): Html {
  const { t } = context;
  if (contracts.status !== 200) return alertBox(problemText(contracts)) || html``;
  const list = contracts.body.contracts as ContractInForce[];
  if (!list.length) return html`<p>${t('noContracts')}</p>`;
  return html`${list.map((contract, index) => account(context, contract, accounts[index]!))}`;
}
