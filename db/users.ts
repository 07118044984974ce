import { DatabaseError, type Pool } from 'pg';
import { LANGUAGES, type Language } from '../messages/accounts';
import { ROLES, type Role } from '../messages/principal';
import { hashPassword, passwordProblem } from './password-hash';

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

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  customerId?: string;
  language?: Language;
  /** Optional: without one, the person signs in by a link sent by e-mail, or sets one through a reset. */
  password?: string;
}

/** What the sign-in needs: the hash and the account's failure count, which nothing else reads. */
export interface SignInRecord {
  user: User;
  passwordHash?: string;
  failedSignIns: number;
  lockedUntil?: number;
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
  list(): Promise<User[]>;
  get(id: string): Promise<User | undefined>;
  /** Signs the person out of the console for good: sessions of a disabled user are no longer honoured (db/sessions.ts). */
  disable(id: string): Promise<User | undefined>;
  signInRecord(email: string): Promise<SignInRecord | undefined>;
  setPassword(id: string, password: string): Promise<void>;
  /** Counts one more failed sign-in; the account is locked until `lockUntil` when it returns a count past the limit. */
  failedSignIn(id: string, lockAfter: number, lockUntil: Date): Promise<number>;
  succeededSignIn(id: string): Promise<void>;
  setLanguage(id: string, language: Language | undefined): Promise<void>;
}

const COLUMNS = 'id::text AS id, email, name, role, customer_id, language, password_hash IS NOT NULL AS has_password, disabled_at, created_at';

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
// Enough to catch a typo; whether the address receives mail is the mail server's to say.
const EMAIL = /^[^\s@\p{Cc}]{1,64}@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;
const SINGLE_LINE = /^[^\p{Cc}\p{Cs}]+$/u;

function checked(input: NewUser): NewUser {
  const email = input.email.trim();
  if (email.length > 320 || !EMAIL.test(email)) throw new UserError('INVALID_FIELD', 'email', `"${input.email}" is not an e-mail address`);
  const name = input.name.trim();
  if (!name || name.length > 200 || !SINGLE_LINE.test(name)) throw new UserError('INVALID_FIELD', 'name', 'must be one line of 1 to 200 characters');
  if (!ROLES.includes(input.role)) throw new UserError('INVALID_FIELD', 'role', `must be one of ${ROLES.join(', ')}`);
  if ((input.role === 'customer') !== (input.customerId !== undefined)) {
    throw new UserError('INVALID_FIELD', 'customerId', input.role === 'customer' ? "a customer's contact names its customer" : 'only a customer contact names a customer');
  }
  if (input.language !== undefined && !LANGUAGES.includes(input.language)) throw new UserError('INVALID_FIELD', 'language', `must be one of ${LANGUAGES.join(', ')}`);
  const weak = input.password === undefined ? undefined : passwordProblem(input.password);
  if (weak) throw new UserError('INVALID_FIELD', 'password', weak);
  return { ...input, email, name };
}

/** People in PostgreSQL (migration 0017); passwords only as scrypt hashes (db/password-hash.ts). */
export function pgUserStore(db: Pool): UserStore {
  return {
    async create(input) {
      const user = checked(input);
      const hash = user.password === undefined ? null : await hashPassword(user.password);
      try {
        const { rows } = await db.query<Row>(
          `INSERT INTO users (email, name, role, customer_id, language, password_hash) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
          [user.email, user.name, user.role, user.customerId ?? null, user.language ?? null, hash],
        );
        return toUser(rows[0]!);
      } catch (error) {
        if (error instanceof DatabaseError && error.code === '23505') throw new UserError('USER_EXISTS', 'email', `a user with the e-mail ${user.email} already exists`);
        if (error instanceof DatabaseError && error.code === '23503') throw new UserError('CUSTOMER_UNKNOWN', 'customerId', `no customer "${user.customerId}"`);
        throw error;
      }
    },

    async list() {
      const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM users ORDER BY id`);
      return rows.map(toUser);
    },

    async get(id) {
      if (!isId(id)) return undefined;
      const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
      return rows[0] && toUser(rows[0]);
    },

    async disable(id) {
      if (!isId(id)) return undefined;
      // Disabling twice keeps the first instant.
      const { rows } = await db.query<Row>(`UPDATE users SET disabled_at = COALESCE(disabled_at, now()) WHERE id = $1 RETURNING ${COLUMNS}`, [id]);
      return rows[0] && toUser(rows[0]);
    },

    async signInRecord(email) {
      const { rows } = await db.query<Row & { password_hash: string | null; failed_sign_ins: number; locked_until: Date | null }>(
        `SELECT ${COLUMNS}, password_hash, failed_sign_ins, locked_until FROM users WHERE lower(email) = lower($1)`,
        [email.trim()],
      );
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
      await db.query('UPDATE users SET password_hash = $2, failed_sign_ins = 0, locked_until = NULL WHERE id = $1', [id, await hashPassword(password)]);
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
      await db.query('UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = $1 AND (failed_sign_ins <> 0 OR locked_until IS NOT NULL)', [id]);
    },

    async setLanguage(id, language) {
      await db.query('UPDATE users SET language = $2 WHERE id = $1', [id, language ?? null]);
    },
  };
}
