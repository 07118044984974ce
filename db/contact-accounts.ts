import {
  AccountError,
  type AccountStore,
  type AuthorizedContact,
  type Contract,
  type ContractContactsPatch,
  type NewContract,
} from '../messages/accounts';
import type { SessionStore } from './sessions';
import type { OneTransaction } from './transaction';
import type { User, UserStore } from './users';

/**
 * A contract's authorized contacts, out-of-hours ones included, are people of its customer: saving the contract gives
 * each address an account among the customer's contacts, or finds the one it already has, so that they can ask for a
 * sign-in link. Saving again, or another contract naming the same person, adds nobody (the users table's address is
 * unique whatever its case). The admin API and `vigil admin contracts add|contacts` do it through createContract and
 * changeContractContacts below.
 */

/** The first contact whose address already signs someone in for another company or for the desk, named by its field. */
export function contactAccountProblem(
  customerId: string,
  contacts: readonly AuthorizedContact[],
  accounts: readonly User[],
): AccountError | undefined {
  for (const [index, contact] of contacts.entries()) {
    const address = contact.email.trim().toLowerCase();
    const account = accounts.find((user) => user.email.toLowerCase() === address);
    if (!account || (account.role === 'customer' && account.customerId === customerId)) continue;
    const whose =
      account.role === 'customer'
        ? `a contact of customer "${account.customerId ?? ''}"`
        : `the desk's ${account.role} ${account.name}`;
    return new AccountError(
      'CONTACT_ACCOUNT_TAKEN',
      `authorizedContacts.${index}.email`,
      `${contact.email} already signs in as ${whose}: a person signs in for one company only, so this contact needs an address of their own`,
    );
  }
  return undefined;
}

/** Refuses, before anything is saved, contacts whose address is another company's or the desk's account. */
export async function checkContactAccounts(
  users: UserStore,
  customerId: string,
  contacts: readonly AuthorizedContact[],
): Promise<void> {
  const problem = contactAccountProblem(
    customerId,
    contacts,
    await users.findByEmails(contacts.map(({ email }) => email)),
  );
  if (problem) throw problem;
}

/**
 * The accounts made for the saved contract's contacts (those that had none). An address that became someone else's
 * between the check and the save (two admins at the same second) stays theirs: the contact is then left without an
 * account, which the users list shows, rather than the contract refused after it was saved.
 */
export const addContactAccounts = (
  users: UserStore,
  customerId: string,
  contacts: readonly AuthorizedContact[],
): Promise<User[]> =>
  users.addCustomerContacts(
    customerId,
    contacts.map(({ name, email }) => ({ name, email })),
  );

const addressOf = ({ email }: AuthorizedContact) => email.trim().toLowerCase();

/**
 * What a desk expects when a contact is taken off a contract: unless another contract of the customer still names
 * them, their account is disabled (they no longer see the company's tickets) and every session of theirs ends. The
 * account itself stays, so the events they authored keep naming them (user:<id>); a contract naming them again gives
 * it back (UserStore.addCustomerContacts). `before`: the contract's authorized contacts before the change. The
 * accounts disabled.
 */
export async function removeContactAccounts(
  stores: { users: UserStore; sessions: SessionStore; accounts: AccountStore },
  contract: Contract,
  before: readonly AuthorizedContact[],
): Promise<User[]> {
  const kept = new Set(contract.authorizedContacts.map(addressOf));
  const removed = before.map(addressOf).filter((address) => !kept.has(address));
  if (removed.length === 0) return [];
  const others = (await stores.accounts.listContracts(contract.customerId)).filter(({ id }) => id !== contract.id);
  const named = new Set(others.flatMap(({ authorizedContacts }) => authorizedContacts.map(addressOf)));
  const disabled = await stores.users.removeCustomerContacts(
    contract.customerId,
    removed.filter((address) => !named.has(address)),
  );
  for (const user of disabled) await stores.sessions.destroyAll(user.id);
  return disabled;
}

/** What saving a contract does to people: without the console's people (`users` absent), nothing. */
interface ContractPeople {
  accounts: AccountStore;
  users?: UserStore;
  /** Given with `users`: the sessions a contact taken off a contract loses. */
  sessions?: SessionStore;
  /**
   * Runs a save as one transaction of the stores above (db/transaction.ts oneTransactionOn): a failure midway (an
   * account refused after the contract's contacts were written) leaves none of its writes, rather than a contact named
   * by the contract who cannot sign in.
   */
  transaction: OneTransaction;
}

/**
 * A new contract, as POST /v1/admin/customers/:id/contracts and `vigil admin contracts add` save it: its authorized
 * contacts checked against the accounts of other companies and of the desk before anything is saved, then an account
 * among the customer's contacts for each that has none, in one transaction (the API's, with a key or without, holds it:
 * api/idempotent-creations.ts). The contract, and the accounts made.
 */
export const createContract = (
  { accounts, users, transaction }: ContractPeople,
  input: NewContract,
): Promise<{ contract: Contract; added: User[] }> =>
  transaction(async () => {
    if (users) await checkContactAccounts(users, input.customerId, input.authorizedContacts ?? []);
    const contract = await accounts.createContract(input);
    const added = users ? await addContactAccounts(users, contract.customerId, contract.authorizedContacts) : [];
    return { contract, added };
  });

/**
 * A contract's contacts replaced, as PATCH /v1/admin/contracts/:id and `vigil admin contracts contacts` do it: the
 * lists given, each whole; the new authorized contacts checked as createContract checks them, then given accounts;
 * those dropped whom no other contract of the customer names disabled and signed out (removeContactAccounts), all in
 * one transaction. The contract, the accounts made and those disabled; undefined when there is no such contract.
 */
export const changeContractContacts = (
  { accounts, users, sessions, transaction }: ContractPeople,
  id: string,
  patch: ContractContactsPatch,
): Promise<{ contract: Contract; added: User[]; disabled: User[] } | undefined> =>
  transaction(async () => {
    const existing = await accounts.getContract(id);
    if (!existing) return undefined;
    if (users && patch.authorizedContacts)
      await checkContactAccounts(users, existing.customerId, patch.authorizedContacts);
    const changed = await accounts.updateContractContacts(id, patch);
    if (!changed) return undefined;
    const { contract, before } = changed;
    const added = users ? await addContactAccounts(users, contract.customerId, contract.authorizedContacts) : [];
    // The list this change replaced, not `existing`: another change may have come between the two reads.
    const disabled =
      users && sessions
        ? await removeContactAccounts({ users, sessions, accounts }, contract, before.authorizedContacts)
        : [];
    return { contract, added, disabled };
  });
