import { randomBytes } from 'node:crypto';
import {
  AccountError,
  apiToken,
  type AccountStore,
  type ApiKeyRecord,
  type Contract,
  type Customer,
} from '../../messages/accounts';
import {
  checkedApiKey,
  checkedContract,
  checkedContractContacts,
  checkedCustomer,
  checkedCustomerPatch,
  civilDate,
  policiesFor,
} from '../../db/account-input';
import { presetRegistry } from '../../policies/registry';

/**
 * AccountStore in memory for route tests, with the PostgreSQL store's input rules (db/account-input.ts) on the presets;
 * tokens are kept as they are, since hashing is the real store's business, not the routes'.
 */
export function inMemoryAccounts(): AccountStore {
  const customers = new Map<string, Customer>();
  const contracts: Contract[] = [];
  const keys = new Map<string, ApiKeyRecord & { token: string }>();
  const createdAt = () => new Date().toISOString();
  // The order AccountStore promises: by start date, then by id (a number, as PostgreSQL's bigserial).
  const byStart = (a: Contract, b: Contract) => a.startsOn.localeCompare(b.startsOn) || Number(a.id) - Number(b.id);
  const knownCustomer = (id: string) => {
    if (!customers.has(id)) throw new AccountError('CUSTOMER_UNKNOWN', 'customerId', `no customer "${id}"`);
  };
  const publicRecord = ({ token: _token, ...record }: ApiKeyRecord & { token: string }): ApiKeyRecord => record;

  return {
    async authenticate(token) {
      const key = [...keys.values()].find((candidate) => candidate.token === token && !candidate.revokedAt);
      return (
        key && {
          keyId: key.id,
          role: key.role,
          label: key.label,
          ...(key.customerId ? { customerId: key.customerId } : {}),
          ...(key.mailRelay ? { mailRelay: true } : {}),
        }
      );
    },
    async createCustomer(input) {
      const customer = { ...checkedCustomer(input), createdAt: createdAt() };
      if (customers.has(customer.id))
        throw new AccountError('CUSTOMER_EXISTS', 'id', `a customer "${customer.id}" already exists`);
      customers.set(customer.id, customer);
      return customer;
    },
    async getCustomer(id) {
      return customers.get(id);
    },
    async updateCustomer(id, patch) {
      const customer = customers.get(id);
      if (!customer) return undefined;
      const { timeZone, ...checked } = checkedCustomerPatch(patch);
      const { timeZone: before, ...rest } = { ...customer, ...checked };
      // null takes the customer back to the desk's zone, as the table's column does.
      const zone = timeZone === undefined ? before : (timeZone ?? undefined);
      const updated = { ...rest, ...(zone ? { timeZone: zone } : {}) };
      customers.set(id, updated);
      return updated;
    },
    async listCustomers() {
      return [...customers.values()].sort((a, b) => a.id.localeCompare(b.id));
    },
    async createContract(input) {
      const checked = checkedContract(input, await policiesFor(presetRegistry, input.policyId, input.policyVersion));
      knownCustomer(checked.customerId);
      const contract: Contract = { ...checked, id: String(contracts.length + 1), createdAt: createdAt() };
      contracts.push(contract);
      return contract;
    },
    async getContract(id) {
      return contracts.find((contract) => contract.id === id);
    },
    async updateContractContacts(id, patch) {
      const index = contracts.findIndex((contract) => contract.id === id);
      const contract = contracts[index];
      if (!contract) return undefined;
      const updated = {
        ...contract,
        ...checkedContractContacts(patch, await policiesFor(presetRegistry, contract.policyId, contract.policyVersion)),
      };
      contracts[index] = updated;
      return { contract: updated, before: contract };
    },
    async listContracts(customerId) {
      return contracts.filter((contract) => contract.customerId === customerId).sort(byStart);
    },
    async contractsInForce(customerId, onDate) {
      const date = civilDate(onDate, 'onDate');
      return contracts
        .filter(
          (contract) =>
            contract.customerId === customerId &&
            contract.startsOn <= date &&
            (contract.endsOn === undefined || contract.endsOn >= date),
        )
        .sort(byStart);
    },
    async createApiKey(input) {
      const checked = checkedApiKey(input);
      if (checked.customerId !== undefined) knownCustomer(checked.customerId);
      const id = randomBytes(6).toString('hex');
      const key = {
        ...checked,
        id,
        createdAt: createdAt(),
        token: apiToken(id, randomBytes(32).toString('base64url')),
      };
      keys.set(id, key);
      return key;
    },
    async listApiKeys() {
      return [...keys.values()].map(publicRecord);
    },
    async revokeApiKey(id) {
      const key = keys.get(id);
      if (!key) return undefined;
      key.revokedAt ??= createdAt();
      return publicRecord(key);
    },
  };
}
