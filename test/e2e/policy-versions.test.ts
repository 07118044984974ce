import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runVigil } from '../../cli/run';
import { ticketWorkflowId, type TicketState } from '../../messages/ticket';
import econnect from '../../policies/presets/econnect.v1.json';
import { type Stack, e2eEnv, startStack } from '../support/e2e/stack';
import { PAST, deskDateOf, pastAnswer, publishEffectiveSoon, untilPast } from '../support/effective-soon';

jest.setTimeout(120_000);

// Each test publishes a policy of its own (a customer-specific one): the e2e database is shared by every stack, and a
// new version of a preset would change the terms of the other tests' tickets.
const policyId = `econnect-own-${randomUUID().slice(0, 8)}`;
const isoOf = (instant: number) => new Date(instant).toISOString().replace('Z', '+00:00');
const inSeconds = (seconds: number) => isoOf(Date.now() + seconds * 1000);
const versionOf = (version: number, effectiveFrom: string, changes: Record<string, unknown> = {}) => ({
  ...econnect,
  id: policyId,
  version,
  effectiveFrom,
  title: `e-connect terms for one customer, v${version}`,
  ...changes,
});
const billingAt = (hourlyCents: number) => ({ billing: { ...econnect.billing, rates: { hourlyCents } } });

describe('policy versions published without a deploy, end to end', () => {
  let stack: Stack;
  let customerId: string;
  let customerToken: string;
  const call: Stack['call'] = (...args) => stack.call(...args);
  const admin = 'admin' as const;

  beforeAll(async () => {
    stack = await startStack('policy-versions');
    customerId = `policies-${randomUUID().slice(0, 8)}`;
    await stack.accounts.createCustomer({ id: customerId, name: 'Own Terms SA' });
    customerToken = (
      await stack.accounts.createApiKey({ role: 'customer', customerId, label: 'e2e own terms customer' })
    ).token;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function closedBill(opened: Record<string, any>): Promise<TicketState> {
    const number = opened.ticketNumber as string;
    expect((await call('POST', `/tickets/${number}/take-charge`, { agent: 'marc' })).status).toBe(200);
    const entry = { agent: 'marc', start: '2026-11-02T10:00:00+01:00', end: '2026-11-02T11:00:00+01:00' };
    expect((await call('POST', `/tickets/${number}/time-entries`, entry)).status).toBe(200);
    expect(
      (
        await call('POST', `/tickets/${number}/propose-resolution`, {
          agent: 'marc',
          resolution: 'Printer driver reinstalled',
        })
      ).status,
    ).toBe(200);
    expect(
      (await call('POST', `/tickets/${number}/validate`, { contact: 'ana@own-terms.lu' }, { token: customerToken }))
        .status,
    ).toBe(200);
    return (await stack.temporal.workflow.getHandle(ticketWorkflowId(number)).result()) as TicketState;
  }

  const open = async (title: string) => {
    const opened = await call('POST', '/tickets', {
      customerId,
      priority: 'P3',
      title,
      description: 'The printer on the second floor prints blank pages.',
      contact: { name: 'Ana Lopes', email: 'ana@own-terms.lu' },
    });
    expect(opened.status).toBe(201);
    return opened.body;
  };

  it('lists the presets as the first published versions, to admins only', async () => {
    const listed = await call('GET', '/admin/policies', undefined, admin);
    expect(listed.status).toBe(200);
    const preset = listed.body.policies.find((policy: { id: string }) => policy.id === 'econnect');
    expect(preset.versions[0]).toMatchObject({
      policyId: 'econnect',
      version: 1,
      effectiveFrom: '2020-12-31T23:00:00.000Z',
      publishedBy: 'preset policies/presets/econnect.v1.json',
    });
    const shown = await call('GET', '/admin/policies/econnect/versions/1', undefined, admin);
    expect([shown.status, shown.body.document]).toEqual([200, econnect]);
    expect((await call('GET', '/admin/policies', undefined, 'agent')).status).toBe(403);
    expect((await call('GET', '/admin/policies/econnect/versions/99', undefined, admin)).status).toBe(404);
  });

  it('refuses a wrong document naming the path of each wrong field, and an effective date in the past or a version out of turn', async () => {
    const wrong = versionOf(1, inSeconds(60), {
      title: 'terms\u0000',
      calendarByKind: { incident: 'nowhere', request: 'office', change: 'office' },
      targets: { resolution: { P1: { amount: -4, unit: 'businessHours' } } },
    });
    const refused = await call('POST', '/admin/policies', wrong, admin);
    expect([refused.status, refused.body.type]).toEqual([422, 'https://vigil.dev/problems/invalid-policy']);
    const fields = (refused.body.errors as Array<{ field: string }>).map(({ field }) => field);
    expect(fields).toEqual(expect.arrayContaining(['body.title', 'body.targets.resolution.P1.amount']));

    const unknownCalendar = await call(
      'POST',
      '/admin/policies',
      versionOf(1, inSeconds(60), { calendarByKind: { incident: 'nowhere', request: 'office', change: 'office' } }),
      admin,
    );
    expect([unknownCalendar.status, unknownCalendar.body.errors[0].field]).toEqual([
      422,
      'body.calendarByKind.incident',
    ]);

    const past = await call('POST', '/admin/policies', versionOf(1, '2026-01-01T00:00:00+01:00'), admin);
    expect([past.status, past.body.code, past.body.errors[0].field]).toEqual([
      422,
      'POLICY_EFFECTIVE_DATE',
      'body.effectiveFrom',
    ]);

    const skipped = await call('POST', '/admin/policies', versionOf(2, inSeconds(60)), admin);
    expect([skipped.status, skipped.body.code, skipped.body.errors[0].field]).toEqual([
      409,
      'POLICY_VERSION_NOT_NEXT',
      'body.version',
    ]);
    expect(skipped.body.detail).toContain(`must be 1, the next version of "${policyId}"`);
  });

  it('a running ticket keeps the version it pinned; a ticket registered after the next version takes effect runs under it', async () => {
    // Each version takes effect shortly after it is published (a second ahead, further if the server found that
    // already past), and a ticket is opened once that instant is past: the versions' effectiveFrom and the tickets'
    // openedAt, as recorded, say which version each ticket must run under.
    const publish = (version: number, changes: Record<string, unknown> = {}) =>
      publishEffectiveSoon(async (effectiveFrom) => {
        const document = versionOf(version, isoOf(effectiveFrom), changes);
        const answer = pastAnswer(await call('POST', '/admin/policies', document, admin));
        return answer === PAST ? PAST : { document, answer };
      });
    const { effectiveFrom: firstFrom, published: first } = await publish(1);
    expect([first.answer.status, first.answer.body.version, first.answer.headers.get('location')]).toEqual([
      201,
      1,
      `/v1/admin/policies/${policyId}/versions/1`,
    ]);
    // A client retrying the same publication is answered as the first time, without a second version.
    const again = await call('POST', '/admin/policies', first.document, admin);
    expect([again.status, again.body]).toEqual([200, first.answer.body]);

    const contract = await call(
      'POST',
      `/admin/customers/${customerId}/contracts`,
      {
        policyId,
        // The day v1 takes effect: today's date may be the day before it, once midnight falls in between.
        startsOn: deskDateOf(firstFrom),
        authorizedContacts: [{ name: 'Ana Lopes', email: 'ana@own-terms.lu', outOfHours: true }],
        escalationContacts: [
          { level: 'desk', name: 'Desk', email: 'desk@e-connect.lu' },
          { level: 'emergency-escalation', name: 'Paul Weber', email: 'paul@own-terms.lu' },
        ],
        emergencyResponseTarget: { amount: 2, unit: 'calendarHours' },
      },
      admin,
    );
    expect(contract.status).toBe(201);

    await untilPast(firstFrom);
    const underFirst = await open('Blank pages (v1)');

    const { effectiveFrom: secondFrom, published: second } = await publish(2, billingAt(12_000));
    expect(second.answer.status).toBe(201);
    // The same version with other terms: never an edit.
    const edited = await call('POST', '/admin/policies', { ...second.document, title: 'changed afterwards' }, admin);
    expect([edited.status, edited.body.code, edited.body.errors[0].field]).toEqual([
      409,
      'POLICY_VERSION_EXISTS',
      'body.version',
    ]);

    await untilPast(secondFrom);
    const underSecond = await open('Blank pages (v2)');
    // Registered before v2 took effect and after, as recorded: the first was answered before v2 was published.
    expect(Date.parse(underFirst.openedAt)).toBeLessThan(secondFrom);
    expect(Date.parse(underSecond.openedAt)).toBeGreaterThanOrEqual(secondFrom);

    const [billedFirst, billedSecond] = await Promise.all([closedBill(underFirst), closedBill(underSecond)]);
    expect([billedFirst.policyVersion, billedFirst.billing?.totalCents]).toEqual([1, 10_000]);
    expect([billedSecond.policyVersion, billedSecond.billing?.totalCents]).toEqual([2, 12_000]);

    // A version that would break the contract following the policy (its emergency target overrides a clock v3 drops).
    const { emergency, ...withoutEmergency } = versionOf(3, inSeconds(3600), {
      escalation: econnect.emergency.escalation.slice(-1),
    });
    expect(emergency).toBeDefined();
    const breaking = await call('POST', '/admin/policies', withoutEmergency, admin);
    expect([breaking.status, breaking.body.code]).toEqual([409, 'POLICY_BREAKS_CONTRACTS']);
    expect(breaking.body.errors).toEqual([
      expect.objectContaining({ field: `contracts.${contract.body.id as string}.emergencyResponseTarget` }),
    ]);
  });

  it('never lets a published version be edited or removed, by the API or in the database', async () => {
    const base = `${stack.baseUrl}/admin/policies/econnect/versions/1`;
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const body = method === 'DELETE' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' };
      const answer = await fetch(base, { method, ...body, headers: { ...stack.auth('admin'), ...body.headers } });
      expect([method, answer.status, answer.headers.get('allow'), await answer.text()]).toEqual([
        method,
        405,
        'GET',
        expect.stringContaining('never edited'),
      ]);
    }
    await expect(
      stack.db.query("UPDATE policy_versions SET published_by = 'someone' WHERE policy_id = 'econnect'"),
    ).rejects.toThrow(/never edited nor removed/);
    await expect(stack.db.query("DELETE FROM policy_versions WHERE policy_id = 'econnect'")).rejects.toThrow(
      /never edited nor removed/,
    );
    await expect(stack.db.query('TRUNCATE policy_versions')).rejects.toThrow(/never edited nor removed/);
  });

  it('vigil admin policies publish FILE publishes, names each wrong field by its path in the file, and lists', async () => {
    const vigil = (...argv: string[]) =>
      runVigil(['admin', 'policies', ...argv], { DATABASE_URL: e2eEnv().databaseUrl });
    const dir = mkdtempSync(join(tmpdir(), 'vigil-policies-cli-'));
    const cliPolicy = `${policyId}-cli`;
    const file = join(dir, 'terms.json');

    writeFileSync(file, JSON.stringify({ ...versionOf(1, inSeconds(3600)), id: cliPolicy, warningPercents: [150] }));
    const refused = await vigil('publish', file);
    expect([refused.exitCode, refused.stdout]).toEqual([2, '']);
    expect(refused.stderr).toContain(`vigil: ${file}: /warningPercents/0: `);

    writeFileSync(file, JSON.stringify({ ...versionOf(1, inSeconds(3600)), id: cliPolicy }));
    const published = await vigil('publish', file, '--json');
    expect([published.exitCode, published.stderr]).toEqual([0, '']);
    expect(JSON.parse(published.stdout)).toMatchObject({
      policyId: cliPolicy,
      version: 1,
      publishedBy: `vigil admin policies publish ${file}`,
    });

    const listed = await vigil('list');
    expect(listed.stdout).toMatch(new RegExp(`^${cliPolicy}\\tv1\\t`, 'm'));
    const shown = await vigil('show', cliPolicy, '1', '--json');
    expect(JSON.parse(shown.stdout).document.id).toBe(cliPolicy);
  });
});
