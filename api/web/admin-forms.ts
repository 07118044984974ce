import type { TSchema } from '@sinclair/typebox';
import {
  authorizedContactLine,
  authorizedContactOf,
  escalationContactLine,
  escalationContactOf,
  type Parsed,
} from '../../messages/contact-lines';
import type { AuthorizedContact, EscalationContact } from '../../messages/accounts';
import { unionOptions } from '../../messages/schema-parts';
import {
  ContractContactsPatchBody,
  CustomerPatchBody,
  NewApiKeyBody,
  NewContractBody,
  NewCustomerBody,
} from '../schemas/admin';
import { NewUserBody, UserPatchBody } from '../schemas/users';
import type { ApiAnswer } from './api-bridge';
import { choiceText, isAdminKey, type AdminKey, type AdminTranslate } from './admin-i18n';
import { html, textareaText, type Html } from './html';
import type { ConsoleLanguage } from './i18n';

/**
 * The admin pages' forms, each derived from the body schema of the admin API route it posts to (api/schemas/admin.ts,
 * api/schemas/users.ts), as the ticket page's are from the action table (api/web/ticket-forms.ts): a field per
 * property, its kind, bounds and choices from its schema, a nested object of plain values as a fieldset (a customer's
 * invoicing identity). Here only the labels, the pickers whose choices the page reads from the API (customers,
 * policies), and how two kinds of value are typed: contacts one per line as the command line takes them
 * (messages/contact-lines.ts), and the contract's rates, a record of records, as the JSON the API takes.
 */
export interface AdminField {
  /** The body's path, dotted: `billing.city`. */
  name: string;
  label: AdminKey;
  hint?: AdminKey;
  /** The nested object the field belongs to, shown as a fieldset. */
  group?: string;
  type: 'text' | 'email' | 'date' | 'number' | 'select' | 'password' | 'contacts' | 'escalations' | 'json';
  /** Required by the schema (within its group, when the group is given at all). */
  required: boolean;
  /** Left empty, sent as null (a patch taking a value away). */
  nullable: boolean;
  choices?: readonly string[];
  /** Choices the page reads from the API when it shows the form. */
  choicesFrom?: 'customers' | 'policies';
  min?: number;
  max?: number;
  maxLength?: number;
}

export interface AdminForm {
  fields: readonly AdminField[];
  /** The form's strings as the route's body, or the field at fault and why. */
  toBody(
    form: Record<string, string>,
  ): { body: Record<string, unknown> } | { field: string; problem: AdminKey; values?: Record<string, string | number> };
}

type Shape = Readonly<Record<string, Partial<Pick<AdminField, 'type' | 'choicesFrom'>>>>;

const labelOf = (name: string): AdminKey => {
  if (!isAdminKey(name)) throw new Error(`api/web/admin-i18n.ts has no label for the body field ${name}`);
  return name;
};

const isNull = (schema: TSchema) => schema.type === 'null';
const literalsOf = (options: readonly TSchema[]) =>
  options.every((option) => typeof option.const === 'string')
    ? options.map((option) => option.const as string)
    : undefined;
const isPlain = (schema: TSchema): boolean =>
  unionOptions(schema).every((option) => isNull(option) || ['string', 'integer'].includes(option.type as string));

function fieldsOf(schema: TSchema, shape: Shape, prefix = '', group?: string): AdminField[] {
  const required = new Set<string>((schema.required as string[] | undefined) ?? []);
  return Object.entries(schema.properties as Record<string, TSchema>).flatMap(([key, property]): AdminField[] => {
    const name = `${prefix}${key}`;
    const options = unionOptions(property);
    const nullable = options.some(isNull);
    const given = options.filter((option) => !isNull(option));
    const choices = literalsOf(given);
    const only = given.length === 1 ? given[0]! : property;
    const base = {
      name,
      label: labelOf(name),
      ...(isAdminKey(`${name}Hint`) ? { hint: `${name}Hint` as AdminKey } : {}),
      ...(group ? { group } : {}),
      required: required.has(key),
      nullable,
    };
    const type = ((): Pick<AdminField, 'type' | 'choices' | 'min' | 'max' | 'maxLength'> => {
      if (choices) return { type: 'select', choices };
      if (only.type === 'integer')
        return { type: 'number', min: only.minimum as number | undefined, max: only.maximum as number | undefined };
      if (only.type === 'string')
        return {
          type: only.format === 'email' ? 'email' : only.format === 'date' ? 'date' : 'text',
          maxLength: only.maxLength as number | undefined,
        };
      if (only.type === 'array')
        return {
          type: (only.items as { properties: Record<string, TSchema> }).properties.level ? 'escalations' : 'contacts',
        };
      if (only.type === 'object') return { type: 'json' };
      throw new Error(`api/web/admin-forms.ts has no field for the body field ${name} (${String(only.type)})`);
    })();
    // A nested object of plain values (an invoicing identity, an emergency target) is its fields, grouped.
    if (
      only.type === 'object' &&
      only.properties &&
      Object.values(only.properties as Record<string, TSchema>).every(isPlain)
    )
      return fieldsOf(only, shape, `${name}.`, name);
    return [{ ...base, ...type, ...shape[name] }];
  });
}

/** A contact field's lines as the contacts, or the first line at fault. */
function contactsOf<T>(
  text: string,
  parse: (line: string) => Parsed<T>,
): { contacts: T[] } | { line: number; problem: string } {
  const contacts: T[] = [];
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (!line.trim()) continue;
    const parsed = parse(line);
    if ('problem' in parsed) return { line: index + 1, problem: parsed.problem };
    contacts.push(parsed.contact);
  }
  return { contacts };
}

function valueOf(
  field: AdminField,
  raw: string,
): { value: unknown } | { problem: AdminKey; values?: Record<string, string | number> } {
  if (field.type === 'number') return /^\d{1,15}$/.test(raw) ? { value: Number(raw) } : { problem: 'fieldNumber' };
  if (field.type === 'contacts' || field.type === 'escalations') {
    const read =
      field.type === 'contacts' ? contactsOf(raw, authorizedContactOf) : contactsOf(raw, escalationContactOf);
    return 'problem' in read ? { problem: 'fieldLine', values: read } : { value: read.contacts };
  }
  if (field.type === 'json') {
    try {
      return { value: JSON.parse(raw) as unknown };
    } catch (error) {
      return { problem: 'fieldJson', values: { problem: (error as Error).message } };
    }
  }
  return { value: raw };
}

function setPath(body: Record<string, unknown>, name: string, value: unknown): void {
  const keys = name.split('.');
  let target = body;
  for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
  target[keys.at(-1)!] = value;
}

function toBody(fields: readonly AdminField[], form: Record<string, string>): ReturnType<AdminForm['toBody']> {
  const body: Record<string, unknown> = {};
  // A group left empty is not sent (the customer's invoicing identity can wait); a choice it has only one of says nothing.
  const typed = (field: AdminField) => (form[field.name] ?? '').trim() !== '' && field.choices?.length !== 1;
  const givenGroups = new Set(fields.filter((field) => field.group && typed(field)).map((field) => field.group));
  for (const field of fields) {
    if (field.group && !givenGroups.has(field.group)) continue;
    const raw = (form[field.name] ?? '').trim();
    // Contacts left empty are none: a contract's list is replaced whole.
    if (!raw && (field.type === 'contacts' || field.type === 'escalations')) setPath(body, field.name, []);
    else if (!raw && field.nullable) setPath(body, field.name, null);
    else if (!raw && field.required) return { field: field.name, problem: 'fieldRequired' };
    else if (raw) {
      const read = valueOf(field, raw);
      if ('problem' in read) return { field: field.name, ...read };
      setPath(body, field.name, read.value);
    }
  }
  return { body };
}

const formOf = (schema: TSchema, shape: Shape = {}): AdminForm => {
  const fields = fieldsOf(schema, shape);
  return { fields, toBody: (form) => toBody(fields, form) };
};

const CUSTOMERS: Shape = { customerId: { type: 'select', choicesFrom: 'customers' } };

export const ADMIN_FORMS = {
  newCustomer: formOf(NewCustomerBody),
  customer: formOf(CustomerPatchBody),
  newContract: formOf(NewContractBody, { policyId: { type: 'select', choicesFrom: 'policies' } }),
  contractContacts: formOf(ContractContactsPatchBody),
  newUser: formOf(NewUserBody, { ...CUSTOMERS, password: { type: 'password' } }),
  user: formOf(UserPatchBody, CUSTOMERS),
  newApiKey: formOf(NewApiKeyBody, CUSTOMERS),
} as const;

/** A resource as its form's strings: the values an edit form starts from. */
export function formValues(fields: readonly AdminField[], resource: Record<string, unknown>): Record<string, string> {
  const at = (name: string) =>
    name.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], resource);
  return Object.fromEntries(
    fields.flatMap((field) => {
      const value = at(field.name);
      if (value === undefined || value === null) return [];
      if (field.type === 'contacts')
        return [[field.name, (value as AuthorizedContact[]).map(authorizedContactLine).join('\n')]];
      if (field.type === 'escalations')
        return [[field.name, (value as EscalationContact[]).map(escalationContactLine).join('\n')]];
      return [[field.name, typeof value === 'string' ? value : JSON.stringify(value)]];
    }),
  );
}

/**
 * The API's refusal by the form's fields: each of its `errors` beside the field it names (`body.billing.city`), a
 * contact by its line (`body.authorizedContacts.1.email` is line 2), a figure within the rates on the rates.
 */
export function fieldErrors(
  t: AdminTranslate,
  fields: readonly AdminField[],
  answer: ApiAnswer,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const { field: path, message } of (answer.body.errors ?? []) as { field: string; message: string }[]) {
    const within = path.replace(/^body\.?/, '');
    const field = [...fields]
      .sort((a, b) => b.name.length - a.name.length)
      .find((candidate) => within === candidate.name || within.startsWith(`${candidate.name}.`));
    if (!field || errors[field.name]) continue;
    const [index] = within.slice(field.name.length + 1).split('.');
    const line =
      (field.type === 'contacts' || field.type === 'escalations') && /^\d+$/.test(index ?? '')
        ? Number(index) + 1
        : undefined;
    errors[field.name] = line === undefined ? message : t('fieldLine', { line, problem: message });
  }
  return errors;
}

/** What a form shows: the values typed or read, the problems found, the choices read from the API. */
export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
  choices: Partial<Record<NonNullable<AdminField['choicesFrom']>, readonly { value: string; text: string }[]>>;
}

const idOf = (form: string, name: string) => `${form}-${name.replace(/\./g, '-')}`;

function fieldHtml(
  t: AdminTranslate,
  language: ConsoleLanguage,
  form: string,
  field: AdminField,
  state: FormState,
): Html {
  const id = idOf(form, field.name);
  const value = state.values[field.name] ?? '';
  const error = state.errors[field.name];
  const described = [field.hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ');
  const attributes = html`${field.required && !field.group ? html` required` : ''}${described ? html` aria-describedby="${described}"` : ''}${error ? html` aria-invalid="true"` : ''}`;
  const after = html`${field.hint ? html`<span class="hint" id="${id}-hint">${t(field.hint)}</span>` : ''}${error ? html`<span class="field-error" id="${id}-error">${error}</span>` : ''}`;
  const label = html`<label for="${id}">${t(field.label)}</label>`;
  if (field.type === 'select') {
    const options = field.choicesFrom
      ? (state.choices[field.choicesFrom] ?? [])
      : (field.choices ?? []).map((choice) => ({ value: choice, text: choiceText(language, choice) }));
    // Free text where the page could not read the choices (policies on a server without published versions).
    if (field.choicesFrom && options.length === 0)
      return html`${label}<input id="${id}" name="${field.name}" type="text" value="${value}"${attributes}>${after}`;
    const empty = field.required && options.length === 1 ? '' : html`<option value="">${t('none')}</option>`;
    return html`${label}<select id="${id}" name="${field.name}"${attributes}>${empty}${options.map(
      (option) =>
        html`<option value="${option.value}"${option.value === value ? html` selected` : ''}>${option.text}</option>`,
    )}</select>${after}`;
  }
  if (field.type === 'contacts' || field.type === 'escalations' || field.type === 'json') {
    return html`${label}<textarea id="${id}" name="${field.name}" rows="${field.type === 'json' ? 2 : 4}" spellcheck="false"${attributes}>${textareaText(value)}</textarea>${after}`;
  }
  const input =
    field.type === 'number'
      ? html` type="number" inputmode="numeric" step="1"${field.min === undefined ? '' : html` min="${field.min}"`}${field.max === undefined ? '' : html` max="${field.max}"`}`
      : html` type="${field.type}"${field.maxLength ? html` maxlength="${field.maxLength}"` : ''}${field.type === 'email' ? html` autocomplete="off"` : field.type === 'password' ? html` autocomplete="new-password"` : ''}`;
  return html`${label}<input id="${id}" name="${field.name}"${input} value="${field.type === 'password' ? '' : value}"${attributes}>${after}`;
}

/** The form's fields in the schema's order, a nested object's in a fieldset named after it. */
export function formFields(
  t: AdminTranslate,
  language: ConsoleLanguage,
  form: string,
  fields: readonly AdminField[],
  state: FormState,
): Html {
  const parts: Html[] = [];
  for (const [index, field] of fields.entries()) {
    if (field.group && fields[index - 1]?.group === field.group) continue;
    if (!field.group) {
      parts.push(fieldHtml(t, language, form, field, state));
      continue;
    }
    const members = fields.filter((member) => member.group === field.group);
    const hint = isAdminKey(`${field.group}Hint`) ? t(`${field.group}Hint` as AdminKey) : undefined;
    parts.push(
      html`<fieldset class="stack"><legend>${t(labelOf(field.group))}</legend>${hint ? html`<span class="hint">${hint}</span>` : ''}${members.map((member) => fieldHtml(t, language, form, member, state))}</fieldset>`,
    );
  }
  return html`${parts}`;
}
