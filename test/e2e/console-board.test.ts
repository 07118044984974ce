import { randomUUID } from 'node:crypto';
import { SESSION_COOKIE } from '../../api/sessions';
import { pgAccountStore } from '../../db/accounts';
import { pgSessionStore } from '../../db/sessions';
import { pgUserStore } from '../../db/users';
import { readModelHarness, type ReadModelHarness } from '../support/e2e/read-model-fixtures';

jest.setTimeout(60_000);

// The agent's board (api/web/board.ts) on the real read model: the emergency mark comes from the ticket's snapshot
// in PostgreSQL through GET /v1/tickets, the customer's name from GET /v1/customers, both as the console calls them.
describe('the board on PostgreSQL', () => {
  let harness: ReadModelHarness;
  let cookie: string;
  let customerId: string;
  let emergency: string;
  let standard: string;

  beforeAll(async () => {
    harness = await readModelHarness();
    const unique = randomUUID().slice(0, 8);
    customerId = `kirchberg-${unique}`;
    await pgAccountStore(harness.db).createCustomer({ id: customerId, name: "Kirchberg Télécom & Fils d'Esch" });
    const agent = await pgUserStore(harness.db).create({
      email: `ines.${unique}@desk.test`,
      name: 'Ines Agent',
      role: 'agent',
    });
    cookie = `${SESSION_COOKIE}=${(await pgSessionStore(harness.db).create(agent.id, Date.now())).id}`;
    const opened = await harness.ticket(customerId, {
      priority: 'P1',
      channel: 'emergency',
      status: 'support',
      title: 'Switchboard down',
    });
    const other = await harness.ticket(customerId, { priority: 'P1', status: 'support', title: 'Printer down' });
    await harness.record(opened);
    await harness.record(other);
    ({ ticketNumber: emergency } = opened);
    ({ ticketNumber: standard } = other);
  });

  afterAll(async () => {
    await harness?.close();
  });

  const rowOf = (text: string, ticketNumber: string) =>
    text.split('<tr').find((row) => row.includes(`>${ticketNumber}</a>`)) ?? '';

  it('lists the emergency as such, and no other ticket: `emergency: true` on it alone', async () => {
    const { status, body } = await harness.get(
      `/v1/tickets?customer=${customerId}&order=arrival`,
      await harness.staffToken('agent'),
    );
    expect(status).toBe(200);
    const items = body.items as { ticketNumber: string; emergency?: boolean }[];
    expect(items.find((item) => item.ticketNumber === emergency)).toMatchObject({ emergency: true });
    expect(items.find((item) => item.ticketNumber === standard)).not.toHaveProperty('emergency');
  });

  it("shows an agent the emergency marked beside its priority, and each ticket's customer by name, escaped", async () => {
    const { status, text } = await harness.page(`/console/?customer=${customerId}`, cookie);
    expect(status).toBe(200);
    const name = 'Kirchberg Télécom &amp; Fils d&#39;Esch';
    expect(rowOf(text, emergency)).toContain('<td>P1 <strong class="badge emergency">Emergency</strong></td>');
    expect(rowOf(text, emergency)).toContain(`<td>${name}</td>`);
    expect(rowOf(text, standard)).toContain('<td>P1</td>');
    expect(rowOf(text, standard)).not.toContain('Emergency');
    expect(rowOf(text, standard)).toContain(`<td>${name}</td>`);
    // Filtered by the id, as the filter always was, and offered by name.
    expect(text).toContain(`<option value="${customerId}">${name}</option>`);
    expect(text).toContain(`list="customer-names" value="${customerId}"`);
  });
});
