import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { apiTokenParts, type ApiKeyRecord, type Contract, type Customer } from '../../messages/accounts';
import type { User } from '../../db/users';
import { sameEmailAddress } from '../../domain/text';
import { cookieOf, secureFor, setCookie } from '../sessions';
import { ADMIN_FORMS, fieldErrors, formFields, formValues, type AdminForm, type FormState } from './admin-forms';
import { adminTranslator, choiceText, type AdminKey, type AdminTranslate } from './admin-i18n';
import { problemText, type ApiAnswer } from './api-bridge';
import type { ConsoleDeps } from './deps';
import { formOf, formTokenValid, type Form } from './forms';
import { html, type Html } from './html';
import {
  alertBox,
  csrfField,
  idempotencyField,
  idempotencyKeyOf,
  isLater,
  laterPage,
  pageContext,
  sendPage,
  type PageContext,
} from './page';

/** A page of the admin's, with the admin pages' own words beside the console's. */
interface AdminPage extends PageContext {
  at: AdminTranslate;
}

const API_KEYS_PATH = '/console/admin/api-keys';
/** Carries a new key's token from the form's post to the page that shows it, once. */
const NEW_KEY_COOKIE = 'vigil_new_key';

type Section = 'customers' | 'users' | 'apiKeys';
const SECTIONS: readonly [Section, string][] = [
  ['customers', '/console/admin/customers'],
  ['users', '/console/admin/users'],
  ['apiKeys', API_KEYS_PATH],
];

// What may go from a URL into an API path: the admin API's own id patterns (api/schemas/admin.ts, users.ts).
const CUSTOMER_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const NUMERIC_ID = /^[1-9][0-9]{0,17}$/;
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** As the ticket page does: a table's box that scrolls sideways on a phone, focusable and named for a keyboard. */
const scrollable = (name: string, table: Html) =>
  html`<div class="scroll" role="region" aria-label="${name}" tabindex="0">${table}</div>`;

const empty = (state: Partial<FormState> = {}): FormState => ({ values: {}, errors: {}, choices: {}, ...state });

/**
 * The admin's pages: customers, their contracts and the contracts' people, the people who sign in, and API
 * keys. Each reads and changes through the admin API as the signed-in admin (api/web/api-bridge.ts), so the API's
 * checks are the pages' checks and its refusals, problem+json naming the field, show beside the field. Anyone but an
 * admin gets a 403 page before any call, by link or by URL. Mounted under /console/admin, after the console's
 * session check (api/web/console.ts).
 */
export const adminPages: FastifyPluginCallback<ConsoleDeps> = (app, { callApi, cookie }, done) => {
  const admin = (request: FastifyRequest, reply: FastifyReply): AdminPage => {
    const page = pageContext(request, reply, request.session!.csrfToken);
    return { ...page, at: adminTranslator(page.language) };
  };

  app.addHook('preHandler', async (request, reply) => {
    if (request.session?.role === 'admin') return;
    const page = admin(request, reply);
    return sendPage(page, page.t('forbidden'), alertBox(page.at('adminOnly')) || html``, 403);
  });

  const show = (page: AdminPage, section: Section, title: string, body: Html, status = 200) =>
    sendPage(
      page,
      title,
      html`<nav aria-label="${page.at('sections')}" class="links">${SECTIONS.map(
        ([name, href]) =>
          html`<a href="${href}"${name === section ? html` aria-current="page"` : ''}>${page.at(name)}</a>`,
      )}</nav>${body}`,
      status,
    );

  /** An answer the page cannot show: later (429, 503) as the API says, a missing thing as 404, anything else as it came. */
  const failed = (page: AdminPage, section: Section, answer: ApiAnswer) =>
    isLater(answer)
      ? laterPage(page, answer)
      : show(
          page,
          section,
          answer.status === 404 ? page.at('notFound') : page.t('refused'),
          alertBox(problemText(answer)) || html``,
          answer.status,
        );

  const notFound = (page: AdminPage, section: Section) => show(page, section, page.at('notFound'), html``, 404);

  const get = (request: FastifyRequest, url: string) => callApi(request, 'GET', url);

  /** The thing a page is about, by the id in its URL (checked before it goes into the API's path), or the page saying why not. */
  async function fetched<T>(
    page: AdminPage,
    section: Section,
    ids: RegExp,
    id: string,
    url: string,
  ): Promise<{ item: T } | { sent: FastifyReply }> {
    if (!ids.test(id)) return { sent: notFound(page, section) };
    const answer = await get(page.request, url);
    return answer.status === 200 ? { item: answer.body as unknown as T } : { sent: failed(page, section, answer) };
  }
  const list = async <T>(request: FastifyRequest, url: string, field: string): Promise<T[]> => {
    const answer = await get(request, url);
    return answer.status === 200 ? (answer.body[field] as T[]) : [];
  };

  /** The pickers' choices: every customer, and the published policies where the server serves them. */
  async function choices(request: FastifyRequest, form: AdminForm): Promise<FormState['choices']> {
    const wanted = new Set(form.fields.map((field) => field.choicesFrom));
    const customers = wanted.has('customers') ? await list<Customer>(request, '/v1/admin/customers', 'customers') : [];
    const policies = wanted.has('policies')
      ? await list<{ id: string; versions: { version: number }[] }>(request, '/v1/admin/policies', 'policies')
      : [];
    return {
      customers: customers.map(({ id, name }) => ({ value: id, text: `${name} (${id})` })),
      policies: policies.map(({ id, versions }) => ({
        value: id,
        text: `${id} (v${versions.map(({ version }) => version).join(', v')})`,
      })),
    };
  }

  function formHtml(
    page: AdminPage,
    options: {
      name: string;
      action: string;
      form: AdminForm;
      state: FormState;
      submit: AdminKey;
      label: string;
      message?: string;
      /**
       * A creation's form carries a key drawn when it is shown, sent as the admin API's Idempotency-Key
       * (api/idempotent-creations.ts): the same form posted twice (a double click, a reload after a lost answer)
       * creates once, and the second post gets the first answer. Shown again after a refusal, it draws a new one.
       */
      creation?: boolean;
    },
  ): Html {
    const { name, action, form, state, submit, label, message, creation } = options;
    return html`<form method="post" action="${action}" class="stack" aria-label="${label}">${csrfField(page)}${creation ? idempotencyField() : ''}
${message ? html`<p class="alert" role="alert"><strong>${page.t('refused')}:</strong> ${message}</p>` : ''}
${formFields(page.at, page.language, name, form.fields, state)}
<button type="submit">${page.at(submit)}</button>
</form>`;
  }

  /**
   * A small form of one button, posting to an admin page's action. `keyed`, it carries a key drawn when it is shown, as
   * a creation's form does (formHtml), sent as the API's Idempotency-Key: a link's button pressed twice mails one link.
   */
  const buttonForm = (
    page: AdminPage,
    action: string,
    label: string,
    { hidden = {}, keyed = false }: { hidden?: Record<string, string>; keyed?: boolean } = {},
  ) =>
    html`<form method="post" action="${action}" class="inline">${csrfField(page)}${keyed ? idempotencyField() : ''}${Object.entries(hidden).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}<button type="submit">${label}</button></form>`;

  const doneMessage = (page: AdminPage, key: AdminKey | undefined, values?: Record<string, string>) =>
    key ? html`<p class="done" role="status">${page.at(key, values)}</p>` : '';

  /**
   * A posted form, through the API: its token checked, its strings made the route's body (a field's problem found
   * here is shown as the API's would be), then sent; `shown` draws the form again with what was typed and why it was
   * refused, with the API's status.
   */
  async function submitted(
    request: FastifyRequest,
    reply: FastifyReply,
    section: Section,
    form: AdminForm,
    send: (body: Record<string, unknown>, idempotencyKey: string | undefined) => Promise<ApiAnswer>,
    shown: (page: AdminPage, state: FormState, message: string, status: number) => Promise<FastifyReply> | FastifyReply,
  ): Promise<{ answer: ApiAnswer } | { sent: FastifyReply }> {
    const page = admin(request, reply);
    const posted = formOf(request);
    const values: Form = { ...posted, _csrf: '', _key: '' };
    if (!formTokenValid(request, posted))
      return { sent: await shown(page, empty({ values }), page.t('formExpired'), 403) };
    const built = form.toBody(posted);
    if ('problem' in built) {
      const problem = `${page.at(form.fields.find((field) => field.name === built.field)!.label)} ${page.at(built.problem, built.values)}`;
      return {
        sent: await shown(
          page,
          empty({ values, errors: { [built.field]: page.at(built.problem, built.values) } }),
          problem,
          422,
        ),
      };
    }
    const answer = await send(built.body, idempotencyKeyOf(posted));
    if (answer.status < 300) return { answer };
    if (isLater(answer)) return { sent: laterPage(page, answer) };
    if (answer.status === 404) return { sent: failed(page, section, answer) };
    return {
      sent: await shown(
        page,
        empty({ values, errors: fieldErrors(page.at, form.fields, answer) }),
        problemText(answer),
        answer.status,
      ),
    };
  }

  type Edit = { state: FormState; message: string; status: number };
  type EditablePage = (request: FastifyRequest, reply: FastifyReply, id: string, edit?: Edit) => Promise<FastifyReply>;

  /** An edit form's post: the id checked, the form sent as the API's PATCH, then back to the page saying so, or the page again with why not. */
  function patchRoute(
    path: string,
    ids: RegExp,
    section: Section,
    form: AdminForm,
    apiPath: (id: string) => string,
    pageOf: EditablePage,
    pagePath: (id: string) => string,
  ) {
    app.post<{ Params: { id: string } }>(path, async (request, reply) => {
      const { id } = request.params;
      if (!ids.test(id)) return notFound(admin(request, reply), section);
      const result = await submitted(
        request,
        reply,
        section,
        form,
        (body) => callApi(request, 'PATCH', apiPath(id), body),
        (_page, state, message, status) => pageOf(request, reply, id, { state, message, status }),
      );
      return 'sent' in result ? result.sent : reply.redirect(`${pagePath(id)}?done=saved`, 303);
    });
  }

  /** A list as a table, or "none yet". */
  const tableOr = (page: AdminPage, name: string, count: number, table: () => Html) =>
    count ? scrollable(name, table()) : html`<p>${page.at('noneYet')}</p>`;

  app.get('/', async (_request, reply) => reply.redirect('/console/admin/customers', 303));

  // Customers.

  async function customersPage(request: FastifyRequest, reply: FastifyReply) {
    const page = admin(request, reply);
    const answer = await get(request, '/v1/admin/customers');
    if (answer.status !== 200) return failed(page, 'customers', answer);
    const customers = answer.body.customers as Customer[];
    const { at, language } = page;
    return show(
      page,
      'customers',
      at('customers'),
      html`<p><a class="button" href="/console/admin/customers/new">${at('newCustomer')}</a></p>
${tableOr(
  page,
  at('customers'),
  customers.length,
  () =>
    html`<table><thead><tr><th scope="col">${at('id')}</th><th scope="col">${at('name')}</th><th scope="col">${at('language')}</th><th scope="col">${at('timeZone')}</th><th scope="col">${at('billing')}</th></tr></thead>
<tbody>${customers.map(
      (
        customer,
      ) => html`<tr><td><a href="/console/admin/customers/${customer.id}">${customer.id}</a></td><td>${customer.name}</td><td>${choiceText(language, customer.language)}</td>
<td>${customer.timeZone ?? at('none')}</td><td>${customer.billing ? `${customer.billing.legalName}, ${customer.billing.country}` : at('none')}</td></tr>`,
    )}</tbody></table>`,
)}`,
    );
  }
  app.get('/customers', customersPage);

  const newCustomerPage = (page: AdminPage, state = empty(), message?: string, status = 200) =>
    show(
      page,
      'customers',
      page.at('newCustomer'),
      formHtml(page, {
        name: 'new-customer',
        creation: true,
        action: '/console/admin/customers/new',
        form: ADMIN_FORMS.newCustomer,
        state,
        submit: 'create',
        label: page.at('newCustomer'),
        message,
      }),
      status,
    );
  app.get('/customers/new', async (request, reply) => newCustomerPage(admin(request, reply)));
  app.post('/customers/new', async (request, reply) => {
    const result = await submitted(
      request,
      reply,
      'customers',
      ADMIN_FORMS.newCustomer,
      (body, key) => callApi(request, 'POST', '/v1/admin/customers', body, key),
      newCustomerPage,
    );
    if ('sent' in result) return result.sent;
    return reply.redirect(`/console/admin/customers/${result.answer.body.id as string}?done=saved`, 303);
  });

  async function customerPage(request: FastifyRequest, reply: FastifyReply, id: string, edit?: Edit) {
    const page = admin(request, reply);
    const found = await fetched<Customer>(page, 'customers', CUSTOMER_ID, id, `/v1/admin/customers/${id}`);
    if ('sent' in found) return found.sent;
    const customer = found.item;
    const contracts = await list<Contract>(request, `/v1/admin/customers/${id}/contracts`, 'contracts');
    const people = await list<User>(request, `/v1/admin/users?customer=${id}`, 'users');
    const { at, t } = page;
    const state =
      edit?.state ??
      empty({ values: formValues(ADMIN_FORMS.customer.fields, customer as unknown as Record<string, unknown>) });
    const done = (request.query as { done?: string }).done === 'saved' ? 'saved' : undefined;
    return show(
      page,
      'customers',
      `${at('customer')} ${customer.name} (${customer.id})`,
      html`${doneMessage(page, done)}
${formHtml(page, { name: 'customer', action: `/console/admin/customers/${id}`, form: ADMIN_FORMS.customer, state, submit: 'save', label: `${at('customer')} ${customer.id}`, message: edit?.message })}
<h2>${at('contracts')}</h2>
<p><a class="button" href="/console/admin/customers/${id}/contracts/new">${at('newContract')}</a></p>
${tableOr(
  page,
  at('contracts'),
  contracts.length,
  () =>
    html`<table><thead><tr><th scope="col">${t('contract')}</th><th scope="col">${t('policy')}</th><th scope="col">${t('tier')}</th><th scope="col">${at('from')}</th><th scope="col">${at('to')}</th><th scope="col">${at('authorizedContacts')}</th></tr></thead>
<tbody>${contracts.map(
      (
        contract,
      ) => html`<tr><td><a href="/console/admin/contracts/${contract.id}">${at('contract', { id: contract.id })}</a></td><td>${policyText(page, contract)}</td><td>${contract.tier ?? at('none')}</td>
<td>${contract.startsOn}</td><td>${contract.endsOn ?? at('none')}</td><td>${contract.authorizedContacts.length}</td></tr>`,
    )}</tbody></table>`,
)}
<h2>${at('customerContacts')}</h2>
${peopleTable(page, at('customerContacts'), people)}`,
      edit?.status ?? 200,
    );
  }
  app.get<{ Params: { id: string } }>('/customers/:id', async (request, reply) =>
    customerPage(request, reply, request.params.id),
  );
  patchRoute(
    '/customers/:id',
    CUSTOMER_ID,
    'customers',
    ADMIN_FORMS.customer,
    (id) => `/v1/admin/customers/${id}`,
    customerPage,
    (id) => `/console/admin/customers/${id}`,
  );

  // Contracts.

  const policyText = (page: AdminPage, contract: Contract) =>
    `${contract.policyId} ${contract.policyVersion === undefined ? `(${page.at('versionInForce')})` : `v${contract.policyVersion}`}`;

  async function newContractPage(
    request: FastifyRequest,
    reply: FastifyReply,
    customerId: string,
    state = empty(),
    message?: string,
    status = 200,
  ) {
    const page = admin(request, reply);
    const title = `${page.at('newContract')} · ${customerId}`;
    const form = formHtml(page, {
      name: 'new-contract',
      creation: true,
      action: `/console/admin/customers/${customerId}/contracts/new`,
      form: ADMIN_FORMS.newContract,
      state: { ...state, choices: await choices(request, ADMIN_FORMS.newContract) },
      submit: 'create',
      label: page.at('newContract'),
      message,
    });
    return show(
      page,
      'customers',
      title,
      html`<p><a href="/console/admin/customers/${customerId}">${page.at('customer')} ${customerId}</a></p>${form}`,
      status,
    );
  }
  app.get<{ Params: { id: string } }>('/customers/:id/contracts/new', async (request, reply) =>
    CUSTOMER_ID.test(request.params.id)
      ? newContractPage(request, reply, request.params.id)
      : notFound(admin(request, reply), 'customers'),
  );
  app.post<{ Params: { id: string } }>('/customers/:id/contracts/new', async (request, reply) => {
    const { id } = request.params;
    if (!CUSTOMER_ID.test(id)) return notFound(admin(request, reply), 'customers');
    const result = await submitted(
      request,
      reply,
      'customers',
      ADMIN_FORMS.newContract,
      (body, key) => callApi(request, 'POST', `/v1/admin/customers/${id}/contracts`, body, key),
      (_page, state, message, status) => newContractPage(request, reply, id, state, message, status),
    );
    return 'sent' in result
      ? result.sent
      : reply.redirect(`/console/admin/contracts/${result.answer.body.id as string}?done=saved`, 303);
  });

  async function contractPage(request: FastifyRequest, reply: FastifyReply, id: string, edit?: Edit) {
    const page = admin(request, reply);
    const found = await fetched<Contract>(page, 'customers', NUMERIC_ID, id, `/v1/admin/contracts/${id}`);
    if ('sent' in found) return found.sent;
    const contract = found.item;
    const people = await list<User>(request, `/v1/admin/users?customer=${contract.customerId}`, 'users');
    const { at, language } = page;
    const state =
      edit?.state ??
      empty({
        values: formValues(ADMIN_FORMS.contractContacts.fields, contract as unknown as Record<string, unknown>),
      });
    const query = request.query as { done?: string; sent?: string; to?: string; until?: string };
    const fact = (label: string, value: string | undefined) => html`<dt>${label}</dt><dd>${value ?? at('none')}</dd>`;
    const accountOf = (email: string) => people.find((person) => sameEmailAddress(person.email, email));
    return show(
      page,
      'customers',
      at('contract', { id }),
      html`${doneMessage(page, query.done === 'saved' ? 'saved' : undefined)}${sentMessage(page, query)}
<dl class="facts">
${fact(at('customer'), contract.customerId)}${fact(at('policyId'), policyText(page, contract))}${fact(at('tier'), contract.tier)}
${fact(at('startsOn'), contract.startsOn)}${fact(at('endsOn'), contract.endsOn)}${fact(at('invoicingFrequency'), choiceText(language, contract.invoicingFrequency))}
${fact(at('emergencyResponseTarget'), contract.emergencyResponseTarget && `${contract.emergencyResponseTarget.amount} h`)}
${fact(at('quoteRequiredAboveMinutes'), contract.quoteRequiredAboveMinutes?.toString())}${fact(at('maxPeoplePerTicket'), contract.maxPeoplePerTicket?.toString())}
<dt>${at('rates')}</dt><dd>${contract.rates ? html`<code>${JSON.stringify(contract.rates)}</code>` : at('none')}</dd>
</dl>
<p><a href="/console/admin/customers/${contract.customerId}">${at('customer')} ${contract.customerId}</a></p>
<h2>${at('contacts')}</h2>
${formHtml(page, { name: 'contacts', action: `/console/admin/contracts/${id}/contacts`, form: ADMIN_FORMS.contractContacts, state, submit: 'saveContacts', label: at('contacts'), message: edit?.message })}
<h2>${at('contactAccounts')}</h2>
${tableOr(
  page,
  at('contactAccounts'),
  contract.authorizedContacts.length,
  () =>
    html`<table><thead><tr><th scope="col">${at('name')}</th><th scope="col">${at('email')}</th><th scope="col">${at('account')}</th><th scope="col">${at('state')}</th><th scope="col"><span class="visually-hidden">${at('sendSignInLink')}</span></th></tr></thead>
<tbody>${contract.authorizedContacts.map((contact) => {
      const account = accountOf(contact.email);
      return html`<tr><td>${contact.name}</td><td>${contact.email}</td>
<td>${account ? html`<a href="/console/admin/users/${account.id}">${account.name}</a>` : at('noAccount')}</td><td>${account ? personState(page, account) : ''}</td>
<td>${account && !account.disabledAt ? buttonForm(page, `/console/admin/users/${account.id}/sign-in-link`, `${at('sendSignInLink')}: ${contact.name}`, { hidden: { back: `/console/admin/contracts/${id}` }, keyed: true }) : ''}</td></tr>`;
    })}</tbody></table>`,
)}`,
      edit?.status ?? 200,
    );
  }
  app.get<{ Params: { id: string } }>('/contracts/:id', async (request, reply) =>
    contractPage(request, reply, request.params.id),
  );
  patchRoute(
    '/contracts/:id/contacts',
    NUMERIC_ID,
    'customers',
    ADMIN_FORMS.contractContacts,
    (id) => `/v1/admin/contracts/${id}`,
    contractPage,
    (id) => `/console/admin/contracts/${id}`,
  );

  // People.

  const personState = (page: AdminPage, person: User) =>
    `${person.disabledAt ? `${page.at('disabled')} ${page.when(person.disabledAt)}` : page.at('active')} · ${page.at(person.hasPassword ? 'passwordSet' : 'noPassword')}`;

  function peopleTable(page: AdminPage, name: string, people: readonly User[]): Html {
    const { at, language } = page;
    return tableOr(
      page,
      name,
      people.length,
      () => html`<table><thead><tr><th scope="col">${at('name')}</th><th scope="col">${at('email')}</th><th scope="col">${at('role')}</th><th scope="col">${at('customerId')}</th><th scope="col">${at('state')}</th></tr></thead>
<tbody>${people.map(
        (
          person,
        ) => html`<tr${person.disabledAt ? html` class="disabled"` : ''}><td><a href="/console/admin/users/${person.id}">${person.name}</a></td><td>${person.email}</td><td>${choiceText(language, person.role)}</td>
<td>${person.customerId ? html`<a href="/console/admin/customers/${person.customerId}">${person.customerId}</a>` : at('none')}</td><td>${personState(page, person)}</td></tr>`,
      )}</tbody></table>`,
    );
  }

  /** After a link was mailed: to whom and until when (from the redirect's query, checked: it goes into the page). */
  function sentMessage(page: AdminPage, query: { sent?: string; to?: string; until?: string }): Html | '' {
    if ((query.sent !== 'reset' && query.sent !== 'sign-in') || !query.to || !query.until || !INSTANT.test(query.until))
      return '';
    return doneMessage(page, query.sent === 'reset' ? 'resetSent' : 'signInSent', {
      email: query.to,
      until: page.when(query.until),
    });
  }

  app.get('/users', async (request, reply) => {
    const page = admin(request, reply);
    const answer = await get(request, '/v1/admin/users');
    if (answer.status !== 200) return failed(page, 'users', answer);
    return show(
      page,
      'users',
      page.at('users'),
      html`<p><a class="button" href="/console/admin/users/new">${page.at('newUser')}</a></p>${peopleTable(page, page.at('users'), answer.body.users as User[])}`,
    );
  });

  async function newUserPage(
    request: FastifyRequest,
    reply: FastifyReply,
    state = empty(),
    message?: string,
    status = 200,
  ) {
    const page = admin(request, reply);
    const form = formHtml(page, {
      name: 'new-user',
      creation: true,
      action: '/console/admin/users/new',
      form: ADMIN_FORMS.newUser,
      state: { ...state, choices: await choices(request, ADMIN_FORMS.newUser) },
      submit: 'create',
      label: page.at('newUser'),
      message,
    });
    return show(page, 'users', page.at('newUser'), form, status);
  }
  app.get('/users/new', async (request, reply) => newUserPage(request, reply));
  app.post('/users/new', async (request, reply) => {
    const result = await submitted(
      request,
      reply,
      'users',
      ADMIN_FORMS.newUser,
      (body, key) => callApi(request, 'POST', '/v1/admin/users', body, key),
      (_page, state, message, status) => newUserPage(request, reply, state, message, status),
    );
    return 'sent' in result
      ? result.sent
      : reply.redirect(`/console/admin/users/${result.answer.body.id as string}?done=saved`, 303);
  });

  const USER_DONE: Readonly<Record<string, AdminKey>> = {
    saved: 'saved',
    disabled: 'disabledNow',
    enabled: 'enabledNow',
  };

  async function userPage(request: FastifyRequest, reply: FastifyReply, id: string, edit?: Edit) {
    const page = admin(request, reply);
    const found = await fetched<User>(page, 'users', NUMERIC_ID, id, `/v1/admin/users/${id}`);
    if ('sent' in found) return found.sent;
    const person = found.item;
    const { at, language } = page;
    const values = formValues(ADMIN_FORMS.user.fields, person as unknown as Record<string, unknown>);
    const state = { ...(edit?.state ?? empty({ values })), choices: await choices(request, ADMIN_FORMS.user) };
    const query = request.query as { done?: string; sent?: string; to?: string; until?: string };
    const done = query.done && Object.hasOwn(USER_DONE, query.done) ? USER_DONE[query.done] : undefined;
    const actions = person.disabledAt
      ? [buttonForm(page, `/console/admin/users/${id}/enable`, at('enable'))]
      : [
          buttonForm(page, `/console/admin/users/${id}/disable`, at('disable')),
          buttonForm(page, `/console/admin/users/${id}/password-reset`, at('sendReset'), { keyed: true }),
          person.role === 'customer'
            ? buttonForm(page, `/console/admin/users/${id}/sign-in-link`, at('sendSignInLink'), { keyed: true })
            : html``,
        ];
    return show(
      page,
      'users',
      `${person.name} (${choiceText(language, person.role)})`,
      html`${doneMessage(page, done)}${sentMessage(page, query)}
<dl class="facts"><dt>${at('email')}</dt><dd>${person.email}</dd><dt>${at('state')}</dt><dd>${personState(page, person)}</dd><dt>${at('created')}</dt><dd>${page.when(person.createdAt)}</dd></dl>
<div class="links">${actions}</div>
<h2>${at('person')}</h2>
${formHtml(page, { name: 'user', action: `/console/admin/users/${id}`, form: ADMIN_FORMS.user, state, submit: 'save', label: `${at('person')} ${person.email}`, message: edit?.message })}`,
      edit?.status ?? 200,
    );
  }
  app.get<{ Params: { id: string } }>('/users/:id', async (request, reply) =>
    userPage(request, reply, request.params.id),
  );
  patchRoute(
    '/users/:id',
    NUMERIC_ID,
    'users',
    ADMIN_FORMS.user,
    (id) => `/v1/admin/users/${id}`,
    userPage,
    (id) => `/console/admin/users/${id}`,
  );

  // A person's actions: each a button, each a call of the people API, then back to the page it was pressed on.
  for (const action of ['disable', 'enable', 'password-reset', 'sign-in-link'] as const) {
    app.post<{ Params: { id: string } }>(`/users/:id/${action}`, async (request, reply) => {
      const page = admin(request, reply);
      const { id } = request.params;
      const form = formOf(request);
      if (!NUMERIC_ID.test(id)) return notFound(page, 'users');
      if (!formTokenValid(request, form))
        return show(page, 'users', page.t('refused'), alertBox(page.t('formExpired')) || html``, 403);
      // A link's button carries its key (buttonForm): the same button posted twice gets the first answer.
      const answer = await callApi(
        request,
        'POST',
        `/v1/admin/users/${id}/${action}`,
        undefined,
        idempotencyKeyOf(form),
      );
      if (answer.status >= 300) return failed(page, 'users', answer);
      // Back where the button was: the person's page, or the contract whose contact it is.
      const back = /^\/console\/admin\/contracts\/[1-9][0-9]{0,17}$/.test(form.back ?? '')
        ? form.back!
        : `/console/admin/users/${id}`;
      const query =
        action === 'password-reset' || action === 'sign-in-link'
          ? new URLSearchParams({
              sent: action === 'password-reset' ? 'reset' : 'sign-in',
              to: answer.body.sentTo as string,
              until: answer.body.expiresAt as string,
            })
          : new URLSearchParams({ done: `${action}d` });
      return reply.redirect(`${back}?${query.toString()}`, 303);
    });
  }

  // API keys.

  async function apiKeysPage(
    request: FastifyRequest,
    reply: FastifyReply,
    refused?: { state: FormState; message: string; status: number },
  ) {
    const page = admin(request, reply);
    const answer = await get(request, '/v1/admin/api-keys');
    if (answer.status !== 200) return failed(page, 'apiKeys', answer);
    const keys = (answer.body.apiKeys as ApiKeyRecord[]).slice().reverse();
    const { at, language } = page;
    const { revoked, created } = request.query as { revoked?: string; created?: string };
    // The token of the key just created, once: only if it is that key's (the cookie is the browser's to send).
    const token = cookieOf(request, NEW_KEY_COOKIE);
    if (token)
      setCookie(reply, NEW_KEY_COOKIE, '', {
        secure: secureFor(request, cookie),
        maxAgeSeconds: 0,
        path: API_KEYS_PATH,
      });
    const createdKey =
      token && apiTokenParts(token)?.id === created ? keys.find(({ id }) => id === created) : undefined;
    const state = { ...(refused?.state ?? empty()), choices: await choices(request, ADMIN_FORMS.newApiKey) };
    return show(
      page,
      'apiKeys',
      at('apiKeys'),
      html`${createdKey ? html`<div class="done" role="status"><p>${at('tokenOnce')}</p><p><label for="new-token">${at('token')} (${createdKey.label})</label> <input id="new-token" type="text" readonly value="${token}" size="72"></p></div>` : ''}
${revoked && KEY_ID.test(revoked) ? doneMessage(page, 'revokedNow', { id: revoked }) : ''}
<h2>${at('newApiKey')}</h2>
${formHtml(page, { name: 'new-key', creation: true, action: API_KEYS_PATH, form: ADMIN_FORMS.newApiKey, state, submit: 'create', label: at('newApiKey'), message: refused?.message })}
<h2>${at('apiKeys')}</h2>
${tableOr(
  page,
  at('apiKeys'),
  keys.length,
  () =>
    html`<table><thead><tr><th scope="col">${at('id')}</th><th scope="col">${at('label')}</th><th scope="col">${at('role')}</th><th scope="col">${at('customerId')}</th><th scope="col">${at('created')}</th><th scope="col">${at('state')}</th></tr></thead>
<tbody>${keys.map(
      (
        key,
      ) => html`<tr><td><code>${key.id}</code></td><td>${key.label}</td><td>${choiceText(language, key.role)}</td><td>${key.customerId ?? at('none')}</td><td>${page.when(key.createdAt)}</td>
<td>${key.revokedAt ? `${at('revoked')} ${page.when(key.revokedAt)}` : buttonForm(page, `/console/admin/api-keys/${key.id}/revoke`, `${at('revoke')} ${key.label}`)}</td></tr>`,
    )}</tbody></table>`,
)}`,
      refused?.status ?? 200,
    );
  }
  app.get('/api-keys', async (request, reply) => apiKeysPage(request, reply));
  app.post('/api-keys', async (request, reply) => {
    const result = await submitted(
      request,
      reply,
      'apiKeys',
      ADMIN_FORMS.newApiKey,
      (body, key) => callApi(request, 'POST', '/v1/admin/api-keys', body, key),
      (_page, state, message, status) => apiKeysPage(request, reply, { state, message, status }),
    );
    if ('sent' in result) return result.sent;
    // The token goes to the next page only, in a cookie of that page's path that it clears on reading: never in a URL,
    // never kept by the server (the API keeps only its hash), and a reload neither shows it again nor creates a key.
    setCookie(reply, NEW_KEY_COOKIE, result.answer.body.token as string, {
      secure: secureFor(request, cookie),
      maxAgeSeconds: 120,
      path: API_KEYS_PATH,
    });
    return reply.redirect(`${API_KEYS_PATH}?created=${result.answer.body.id as string}`, 303);
  });
  app.post<{ Params: { id: string } }>('/api-keys/:id/revoke', async (request, reply) => {
    const page = admin(request, reply);
    const { id } = request.params;
    if (!KEY_ID.test(id)) return notFound(page, 'apiKeys');
    if (!formTokenValid(request, formOf(request)))
      return show(page, 'apiKeys', page.t('refused'), alertBox(page.t('formExpired')) || html``, 403);
    const answer = await callApi(request, 'POST', `/v1/admin/api-keys/${id}/revoke`);
    if (answer.status >= 300) return failed(page, 'apiKeys', answer);
    return reply.redirect(`${API_KEYS_PATH}?revoked=${id}`, 303);
  });

  done();
};
