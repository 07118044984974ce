import { randomBytes } from 'node:crypto';
import type { PeopleDeps } from '../../../api/web/console';
import type { AccountStore } from '../../../messages/accounts';
import { FORM_DRAFT_MS, newDraftId, type FormDraftStore } from '../../../db/form-drafts';
import type { QueuedNotice } from '../../../db/outbox';
import { hashPassword, passwordProblem } from '../../../db/password-hash';
import type { Session, SessionStore } from '../../../db/sessions';
import type { SignInPurpose, SignInTokenStore } from '../../../db/sign-in-tokens';
import { checkedUser, patchedUser, UserError, type User, type UserStore } from '../../../db/users';
import { toStorable } from '../../../domain/text';

/**
 * The console's people in memory for inject tests, with the PostgreSQL stores' rules (db/users.ts's checks, one account
 * per address whatever its case, a customer that must exist, sessions of a disabled person ended, one-time links);
 * `notices` keeps the mails queued. Sessions live until destroyed: their idle and absolute ends are db/sessions.ts's.
 */
export function inMemoryPeople(
  accounts: AccountStore,
): Required<Omit<PeopleDeps, 'settings'>> & { notices: PeopleDeps['notices']; mails: QueuedNotice[] } {
  const people = new Map<string, User & { passwordHash?: string; failedSignIns: number; lockedUntil?: number }>();
  const sessions = new Map<string, { userId: string; csrfToken: string }>();
  const tokens = new Map<string, { userId: string; purpose: SignInPurpose; expiresAt: number; used: boolean }>();
  const mails: QueuedNotice[] = [];
  let sequence = 0;
  // The ids of the contacts a contract's change disabled (the users table's removed_as_contact).
  const removedAsContact = new Set<string>();
  const publicUser = ({
    passwordHash: _hash,
    failedSignIns: _failed,
    lockedUntil: _locked,
    ...user
  }: User & { passwordHash?: string; failedSignIns: number; lockedUntil?: number }): User => ({
    ...user,
  });
  const byEmail = (email: string) =>
    [...people.values()].find((user) => user.email.toLowerCase() === email.trim().toLowerCase());
  const knownCustomer = async (customerId: string | undefined) => {
    if (customerId !== undefined && !(await accounts.getCustomer(customerId)))
      throw new UserError('CUSTOMER_UNKNOWN', 'customerId', `no customer "${customerId}"`);
  };

  const users: UserStore = {
    async create(input) {
      const user = checkedUser(input);
      if (byEmail(user.email))
        throw new UserError('USER_EXISTS', 'email', `a user with the e-mail ${user.email} already exists`);
      await knownCustomer(user.customerId);
      const { password, ...rest } = user;
      const passwordHash = password === undefined ? undefined : await hashPassword(password);
      const created = {
        ...rest,
        id: String(++sequence),
        hasPassword: passwordHash !== undefined,
        createdAt: new Date().toISOString(),
        failedSignIns: 0,
        ...(passwordHash ? { passwordHash } : {}),
      };
      people.set(created.id, created);
      return publicUser(created);
    },
    async list() {
      return [...people.values()].map(publicUser);
    },
    async get(id) {
      const user = people.get(id);
      return user && publicUser(user);
    },
    async findByEmails(emails) {
      const wanted = new Set(emails.map((email) => email.trim().toLowerCase()));
      return [...people.values()].filter((user) => wanted.has(user.email.toLowerCase())).map(publicUser);
    },
    async update(id, patch) {
      const user = people.get(id);
      if (!user) return undefined;
      const changed = patchedUser(publicUser(user), patch);
      await knownCustomer(changed.customerId);
      const { customerId: _customer, language: _language, ...kept } = user;
      const updated = { ...kept, ...changed };
      people.set(id, updated);
      return publicUser(updated);
    },
    async disable(id) {
      const user = people.get(id);
      if (!user) return undefined;
      user.disabledAt ??= new Date().toISOString();
      return publicUser(user);
    },
    async enable(id) {
      const user = people.get(id);
      if (!user) return undefined;
      delete user.disabledAt;
      removedAsContact.delete(id);
      return publicUser(user);
    },
    async addCustomerContacts(customerId, contacts) {
      await knownCustomer(customerId);
      const added: User[] = [];
      for (const { name, email } of contacts) {
        const account = byEmail(email);
        if (!account) added.push(await users.create({ email, name, role: 'customer', customerId }));
        else if (removedAsContact.has(account.id) && account.customerId === customerId) await users.enable(account.id);
      }
      return added;
    },
    async removeCustomerContacts(customerId, emails) {
      const removed: User[] = [];
      for (const email of emails) {
        const account = byEmail(email);
        if (!account || account.role !== 'customer' || account.customerId !== customerId || account.disabledAt)
          continue;
        account.disabledAt = new Date().toISOString();
        removedAsContact.add(account.id);
        removed.push(publicUser(account));
      }
      return removed;
    },
    async signInRecord(email) {
      const user = byEmail(email);
      return (
        user && {
          user: publicUser(user),
          ...(user.passwordHash ? { passwordHash: user.passwordHash } : {}),
          failedSignIns: user.failedSignIns,
          ...(user.lockedUntil ? { lockedUntil: user.lockedUntil } : {}),
        }
      );
    },
    async setPassword(id, password) {
      const weak = passwordProblem(password);
      if (weak) throw new UserError('INVALID_FIELD', 'password', weak);
      const user = people.get(id);
      if (user)
        Object.assign(user, {
          passwordHash: await hashPassword(password),
          hasPassword: true,
          failedSignIns: 0,
          lockedUntil: undefined,
        });
    },
    async failedSignIn(id, lockAfter, lockUntil) {
      const user = people.get(id);
      if (!user) return 0;
      user.failedSignIns += 1;
      if (user.failedSignIns >= lockAfter) user.lockedUntil = lockUntil.getTime();
      return user.failedSignIns;
    },
    async succeededSignIn(id) {
      const user = people.get(id);
      if (user) Object.assign(user, { failedSignIns: 0, lockedUntil: undefined });
    },
    async setLanguage(id, language) {
      const user = people.get(id);
      if (!user) return;
      if (language) user.language = language;
      else delete user.language;
    },
  };

  const sessionStore: SessionStore = {
    async create(userId) {
      const [id, csrfToken] = [randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')];
      sessions.set(id, { userId, csrfToken });
      return { id, csrfToken };
    },
    async resolve(id) {
      const session = sessions.get(id);
      const user = session && people.get(session.userId);
      if (!session || !user || user.disabledAt) return undefined;
      // The person as they are now, as the table's join reads them: a new role applies at the next request.
      const language =
        user.language ?? (user.customerId ? (await accounts.getCustomer(user.customerId))?.language : undefined);
      const resolved: Session = {
        userId: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        csrfToken: session.csrfToken,
      };
      return {
        ...resolved,
        ...(user.customerId ? { customerId: user.customerId } : {}),
        ...(language ? { language } : {}),
      };
    },
    async destroy(id) {
      sessions.delete(id);
    },
    async destroyAll(userId) {
      const mine = [...sessions].filter(([, session]) => session.userId === userId);
      for (const [id] of mine) sessions.delete(id);
      return mine.length;
    },
  };

  const signInTokens: SignInTokenStore = {
    async issue(userId, purpose, expiresAt) {
      const token = randomBytes(32).toString('base64url');
      tokens.set(token, { userId, purpose, expiresAt, used: false });
      return token;
    },
    async spend(token, purpose, now) {
      const held = tokens.get(token);
      if (!held || held.used || held.purpose !== purpose || held.expiresAt <= now) return undefined;
      held.used = true;
      return held.userId;
    },
    async isLive(token, purpose, now) {
      const held = tokens.get(token);
      return Boolean(held && !held.used && held.purpose === purpose && held.expiresAt > now);
    },
  };

  // The fields as jsonb gives them back: NUL and lone surrogates made storable (db/form-drafts.ts).
  const drafts = new Map<string, { userId: string; fields: Record<string, string>; expiresAt: number }>();
  const formDrafts: FormDraftStore = {
    // As db/form-drafts.ts keeps them: the author's expired drafts deleted, the draft named kept anew if theirs.
    async keep(userId, fields, now, id) {
      for (const [other, draft] of drafts)
        if (draft.userId === userId && draft.expiresAt <= now && other !== id) drafts.delete(other);
      const kept = id !== undefined && drafts.get(id)?.userId === userId ? id : newDraftId();
      drafts.set(kept, { userId, fields: toStorable({ ...fields }), expiresAt: now + FORM_DRAFT_MS });
      return kept;
    },
    async read(userId, id, now) {
      const draft = drafts.get(id);
      return draft && draft.userId === userId && draft.expiresAt > now ? { ...draft.fields } : undefined;
    },
    async discard(userId, id) {
      if (drafts.get(id)?.userId === userId) drafts.delete(id);
    },
  };

  return {
    users,
    sessions: sessionStore,
    signInTokens,
    drafts: formDrafts,
    mails,
    notices: async (notice) => {
      if (!mails.some((mail) => mail.idempotencyKey === notice.idempotencyKey)) mails.push(notice);
    },
  };
}
