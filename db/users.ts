import { DatabaseError, type Pool } from 'pg';
import { LANGUAGES, type Language, type NewUser, type UserPatch } from '../messages/accounts';
import { ROLES, type Role } from '../messages/principal';
import { hashPassword, passwordProblem } from './password-hash';
import { withTransaction } from './transaction';
import { EMAIL_ADDRESS, findUnsafeText, TEXT_RULE, textLength } from '../domain/text';

// The store's input is the admin API's bodies (messages/accounts.ts).
export type { NewUser, UserPatch };

/** A person who signs in to the console (migration 0017); never with its password hash. */
export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** Set for customers' contacts only: the company whose tickets they see. */
  customerId?: string;
  /** The console's language as the person chose it; absent: the customer's, else English. */
  language?: Language;
  hasPassword: boolean;
  disabledAt?: string;
  createdAt: string;
}

/** What the sign-in needs: the hash and the account's failure count, which nothing else reads. */
export interface SignInRecord {
  user: User;
  passwordHash?: string;
  failedSignIns: number;
  lockedUntil?: number;
}

/** A contract's contact, as the account made for them holds it (db/contact-accounts.ts). */
export interface ContactPerson {
  name: string;
  email: string;
}

export type UserErrorCode = 'USER_EXISTS' | 'CUSTOMER_UNKNOWN' | 'INVALID_FIELD';

/** A refusal of one input field, named as the API body names it. */
export class UserError extends Error {
  constructor(
    readonly code: UserErrorCode,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface UserStore {
  create(input: NewUser): Promise<User>;
  /** Everyone, in id order (the order the accounts were made). */
  list(): Promise<User[]>;
  get(id: string): Promise<User | undefined>;
  /** The accounts of these addresses, whatever their case, in id order. */
  findByEmails(emails: readonly string[]): Promise<User[]>;
  /** The person as changed; undefined when there is none. */
  update(id: string, patch: UserPatch): Promise<User | undefined>;
  /** Signs the person out of the console for good: sessions of a disabled user are no longer honoured (db/sessions.ts). */
  disable(id: string): Promise<User | undefined>;
  /** Lets a disabled person sign in again (their old sessions stay ended). */
  enable(id: string): Promise<User | undefined>;
  /**
   * An account of the customer's contacts for each address that has none yet, without a password (they sign in by a
   * link); an address that has one, whoever's, is left as it is. The accounts made, in the contacts' order.
   */
  addCustomerContacts(customerId: string, contacts: readonly ContactPerson[]): Promise<User[]>;
  /**
   * Disables the customer's contacts of these addresses, whom no contract of the customer names any more, marked as
   * such: addCustomerContacts gives them back their account, enable too. Those disabled, in id order; an account
   * already disabled (by an admin, or before) is left as it is.
   */
  removeCustomerContacts(customerId: string, emails: readonly string[]): Promise<User[]>;
  signInRecord(email: string): Promise<SignInRecord | undefined>;
  setPassword(id: string, password: string): Promise<void>;
  /** Counts one more failed sign-in; the account is locked until `lockUntil` when it returns a count past the limit. */
  failedSignIn(id: string, lockAfter: number, lockUntil: Date): Promise<number>;
  succeededSignIn(id: string): Promise<void>;
  setLanguage(id: string, language: Language | undefined): Promise<void>;
}

// A list is in id order by `ORDER BY users.id`, the table's bigint: a bare `ORDER BY id` names the `id::text AS id` here
// and sorts the text, which put id 100 before id 99.
const COLUMNS =
  'id::text AS id, email, name, role, customer_id, language, password_hash IS NOT NULL AS has_password, disabled_at, created_at';

interface Row {
  id: string;
  email: string;
  name: string;
  role: Role;
  customer_id: string | null;
  language: Language | null;
  has_password: boolean;
  disabled_at: Date | null;
  created_at: Date;
}

const toUser = (row: Row): User => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  ...(row.customer_id ? { customerId: row.customer_id } : {}),
  ...(row.language ? { language: row.language } : {}),
  hasPassword: row.has_password,
  ...(row.disabled_at ? { disabledAt: row.disabled_at.toISOString() } : {}),
  createdAt: row.created_at.toISOString(),
});

// Ids are strings at the edge: anything not a bigint names nobody, rather than failing the cast.
const isId = (id: string) => /^[1-9][0-9]{0,17}$/.test(id);
// The API's e-mail address (domain/text.ts), its local part at most 64 characters; whether the address receives mail is
// the mail server's to say.
const EMAIL = (address: string) => EMAIL_ADDRESS.test(address) && address.indexOf('@') <= 64;

/** A person's name by the API's rule for one (messages/text-fields.ts Name), for the command line as for the API. */
function checkedName(value: string): string {
  const name = value.trim();
  if (!name || textLength(name) > 200)
    throw new UserError('INVALID_FIELD', 'name', 'must be one line of 1 to 200 characters');
  const unsafe = findUnsafeText(name, 'title');
  if (unsafe) throw new UserError('INVALID_FIELD', 'name', `must be ${TEXT_RULE.title}: ${unsafe}`);
  return name;
}

function checkedRole(role: Role): Role {
  if (!ROLES.includes(role)) throw new UserError('INVALID_FIELD', 'role', `must be one of ${ROLES.join(', ')}`);
  return role;
}

function checkedLanguage<T extends Language | null | undefined>(language: T): T {
  if (language !== undefined && language !== null && !LANGUAGES.includes(language))
    throw new UserError('INVALID_FIELD', 'language', `must be one of ${LANGUAGES.join(', ')}`);
  return language;
}

/** A customer's contact names its company, and only they do: the table's CHECK, said with the field at fault. */
function companyProblem(role: Role, customerId: string | null | undefined): UserError | undefined {
  const named = customerId !== undefined && customerId !== null;
  if ((role === 'customer') === named) return undefined;
  return new UserError(
    'INVALID_FIELD',
    'customerId',
    role === 'customer' ? "a customer's contact names its customer" : 'only a customer contact names a customer',
  );
}

/** A new person as the table will hold them, or the field at fault. */
export function checkedUser(input: NewUser): NewUser {
  const email = input.email.trim();
  if (email.length > 320 || !EMAIL(email))
    throw new UserError('INVALID_FIELD', 'email', `"${input.email}" is not an e-mail address`);
  const name = checkedName(input.name);
  const problem = companyProblem(checkedRole(input.role), input.customerId);
  if (problem) throw problem;
  checkedLanguage(input.language);
  const weak = input.password === undefined ? undefined : passwordProblem(input.password);
  if (weak) throw new UserError('INVALID_FIELD', 'password', weak);
  return { ...input, email, name };
}

/** The person as `patch` would leave them, checked as a new one is; a staff role given alone takes the company away. */
export function patchedUser(user: User, patch: UserPatch): Pick<User, 'name' | 'role' | 'customerId' | 'language'> {
  const role = patch.role === undefined ? user.role : checkedRole(patch.role);
  const customerId = patch.customerId !== undefined ? patch.customerId : role === 'customer' ? user.customerId : null;
  const problem = companyProblem(role, customerId);
  if (problem) throw problem;
  const language = patch.language === undefined ? user.language : checkedLanguage(patch.language);
  return {
    name: patch.name === undefined ? user.name : checkedName(patch.name),
    role,
    ...(customerId ? { customerId } : {}),
    ...(language ? { language } : {}),
  };
}

const FOREIGN_KEY_VIOLATION = '23503';
const unknownCustomer = (customerId: string | null | undefined) =>
  new UserError('CUSTOMER_UNKNOWN', 'customerId', `no customer "${customerId ?? ''}"`);

/** People in PostgreSQL (migration 0017); passwords only as scrypt hashes (db/password-hash.ts). */
export function pgUserStore(db: Pool): UserStore {
  return {
    async create(input) {
      const user = checkedUser(input);
      const hash = user.password === undefined ? null : await hashPassword(user.password);
      try {
        const { rows } = await db.query<Row>(
          `INSERT INTO users (email, name, role, customer_id, language, password_hash) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
          [user.email, user.name, user.role, user.customerId ?? null, user.language ?? null, hash],
        );
        return toUser(rows[0]!);
      } catch (error) {
        if (error instanceof DatabaseError && error.code === '23505')
          throw new UserError('USER_EXISTS', 'email', `a user with the e-mail ${user.email} already exists`);
        if (error instanceof DatabaseError && error.code === FOREIGN_KEY_VIOLATION)
          throw unknownCustomer(user.customerId);
        throw error;
      }
    },

    async list() {
      const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM users ORDER BY users.id`);
      return rows.map(toUser);
    },

    async get(id) {
      if (!isId(id)) return undefined;
      const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
      return rows[0] && toUser(rows[0]);
    },

    async findByEmails(emails) {
      if (emails.length === 0) return [];
      const { rows } = await db.query<Row>(
        `SELECT ${COLUMNS} FROM users WHERE lower(email) = ANY($1::text[]) ORDER BY users.id`,
        [emails.map((email) => email.trim().toLowerCase())],
      );
      return rows.map(toUser);
    },

    async update(id, patch) {
      if (!isId(id)) return undefined;
      return withTransaction(db, async (client) => {
        // Checked against the row as it stands, locked, so that two admins' changes cannot mix into a person neither meant.
        const { rows: current } = await client.query<Row>(`SELECT ${COLUMNS} FROM users WHERE id = $1 FOR UPDATE`, [
          id,
        ]);
        if (!current[0]) return undefined;
        const changed = patchedUser(toUser(current[0]), patch);
        try {
          const { rows } = await client.query<Row>(
            `UPDATE users SET name = $2, role = $3, customer_id = $4, language = $5 WHERE id = $1 RETURNING ${COLUMNS}`,
            [id, changed.name, changed.role, changed.customerId ?? null, changed.language ?? null],
          );
          return toUser(rows[0]!);
        } catch (error) {
          if (error instanceof DatabaseError && error.code === FOREIGN_KEY_VIOLATION)
            throw unknownCustomer(changed.customerId);
          throw error;
        }
      });
    },

    async disable(id) {
      if (!isId(id)) return undefined;
      // Disabling twice keeps the first instant.
      const { rows } = await db.query<Row>(
        `UPDATE users SET disabled_at = COALESCE(disabled_at, now()) WHERE id = $1 RETURNING ${COLUMNS}`,
        [id],
      );
      return rows[0] && toUser(rows[0]);
    },

    async enable(id) {
      if (!isId(id)) return undefined;
      const { rows } = await db.query<Row>(
        `UPDATE users SET disabled_at = NULL, removed_as_contact = false WHERE id = $1 RETURNING ${COLUMNS}`,
        [id],
      );
      return rows[0] && toUser(rows[0]);
    },

    async addCustomerContacts(customerId, contacts) {
      if (contacts.length === 0) return [];
      // One statement: an address someone else is adding at the same moment is skipped by the unique index, never doubled.
      // In address order: the statement waits for each address another transaction is adding, uncommitted, and holds
      // those it added until its own commit. In the contacts' order, two saves adding overlapping addresses in opposite
      // orders could each hold one the other waits for, a deadlock PostgreSQL ends by failing one: contracts of two
      // customers under two policies (db/contact-accounts.ts changeContractContacts), which neither the policy's lock
      // nor the customer's (db/accounts.ts lockCustomerContacts) orders.
      const { rows } = await db.query<Row>(
        `INSERT INTO users (email, name, role, customer_id)
         SELECT email, name, 'customer', $1 FROM unnest($2::text[], $3::text[]) AS contact(email, name)
         ORDER BY lower(email)
         ON CONFLICT ((lower(email))) DO NOTHING
         RETURNING ${COLUMNS}`,
        [customerId, contacts.map(({ email }) => email.trim()), contacts.map(({ name }) => name.trim())],
      );
      // A contact a contract named again gets back the account a removal took, not one an admin disabled.
      await db.query(
        `UPDATE users SET disabled_at = NULL, removed_as_contact = false
         WHERE removed_as_contact AND customer_id = $1 AND lower(email) = ANY($2::text[])`,
        [customerId, contacts.map(({ email }) => email.trim().toLowerCase())],
      );
      return rows.map(toUser).sort((a, b) => Number(a.id) - Number(b.id));
    },

    async removeCustomerContacts(customerId, emails) {
      if (emails.length === 0) return [];
      const { rows } = await db.query<Row>(
        `UPDATE users SET disabled_at = now(), removed_as_contact = true
         WHERE role = 'customer' AND customer_id = $1 AND lower(email) = ANY($2::text[]) AND disabled_at IS NULL
         RETURNING ${COLUMNS}`,
        [customerId, emails.map((email) => email.trim().toLowerCase())],
      );
      return rows.map(toUser).sort((a, b) => Number(a.id) - Number(b.id));
    },

    async signInRecord(email) {
      // What a signed-out page was sent, as typed: text no address holds (a NUL, which PostgreSQL refuses, a control
      // character, a line break) names no account, and is not sent to PostgreSQL.
      if (findUnsafeText(email.trim(), 'line')) return undefined;
      const { rows } = await db.query<
        Row & { password_hash: string | null; failed_sign_ins: number; locked_until: Date | null }
      >(`SELECT ${COLUMNS}, password_hash, failed_sign_ins, locked_until FROM users WHERE lower(email) = lower($1)`, [
        email.trim(),
      ]);
      const row = rows[0];
      return (
        row && {
          user: toUser(row),
          ...(row.password_hash ? { passwordHash: row.password_hash } : {}),
          failedSignIns: row.failed_sign_ins,
          ...(row.locked_until ? { lockedUntil: row.locked_until.getTime() } : {}),
        }
      );
    },

    async setPassword(id, password) {
      const weak = passwordProblem(password);
      if (weak) throw new UserError('INVALID_FIELD', 'password', weak);
      // A new password also lifts a lock: the person proved they hold the mailbox.
      await db.query('UPDATE users SET password_hash = $2, failed_sign_ins = 0, locked_until = NULL WHERE id = $1', [
        id,
        await hashPassword(password),
      ]);
    },

    async failedSignIn(id, lockAfter, lockUntil) {
      const { rows } = await db.query<{ failed_sign_ins: number }>(
        `UPDATE users SET failed_sign_ins = failed_sign_ins + 1,
           locked_until = CASE WHEN failed_sign_ins + 1 >= $2 THEN $3 ELSE locked_until END
         WHERE id = $1 RETURNING failed_sign_ins`,
        [id, lockAfter, lockUntil],
      );
      return rows[0]?.failed_sign_ins ?? 0;
    },

    async succeededSignIn(id) {
      await db.query(
        'UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = $1 AND (failed_sign_ins <> 0 OR locked_until IS NOT NULL)',
        [id],
      );
    },

    async setLanguage(id, language) {
      await db.query('UPDATE users SET language = $2 WHERE id = $1', [id, language ?? null]);
    },
  };
}
