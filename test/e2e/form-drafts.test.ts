import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { FORM_DRAFT_MS, pgFormDraftStore, type FormDraftStore } from '../../db/form-drafts';
import { pgUserStore } from '../../db/users';
import { migratedPool } from '../support/e2e/stack';

jest.setTimeout(60_000);

// The console's drafts (the portal's choice of contract, api/web/console.ts) as PostgreSQL keeps them: the instants
// are the store's arguments, so that a draft's expiry is reached without waiting a working day.
describe('form drafts in PostgreSQL', () => {
  let db: Pool;
  let drafts: FormDraftStore;
  let ana: string;
  let bo: string;
  const at = Date.parse('2026-03-02T08:00:00Z');
  const expiry = at + FORM_DRAFT_MS;

  beforeAll(async () => {
    db = await migratedPool();
    drafts = pgFormDraftStore(db);
    const users = pgUserStore(db);
    const unique = randomUUID().slice(0, 8);
    ana = (await users.create({ email: `ana.${unique}@drafts.test`, name: 'Ana Lopes', role: 'agent' })).id;
    bo = (await users.create({ email: `bo.${unique}@drafts.test`, name: 'Bo Berg', role: 'agent' })).id;
  });

  afterAll(async () => {
    await db?.end();
  });

  afterEach(async () => {
    await db.query('DELETE FROM form_drafts WHERE user_id IN ($1, $2)', [ana, bo]);
  });

  /** The ids of the person's drafts in the table, expired or not. */
  const rowsOf = async (userId: string) =>
    (await db.query<{ id: string }>('SELECT id FROM form_drafts WHERE user_id = $1', [userId])).rows
      .map(({ id }) => id)
      .sort();

  it('reads a draft until it expires, and deletes on each keep the expired drafts of its author only', async () => {
    const anaFirst = await drafts.keep(ana, { title: 'Printer down' }, at);
    const boFirst = await drafts.keep(bo, { title: 'Scanner jammed' }, at);
    await expect(drafts.read(ana, anaFirst, expiry - 1)).resolves.toEqual({ title: 'Printer down' });
    await expect(drafts.read(ana, anaFirst, expiry)).resolves.toBeUndefined();

    const anaLater = await drafts.keep(ana, { title: 'Screen flickers' }, expiry);
    expect(await rowsOf(ana)).toEqual([anaLater]);
    // Bo's expired draft waits for Bo's next keep, never read meanwhile.
    expect(await rowsOf(bo)).toEqual([boFirst]);
    await expect(drafts.read(bo, boFirst, expiry)).resolves.toBeUndefined();
    const boLater = await drafts.keep(bo, { title: 'Scanner jammed again' }, expiry);
    expect(await rowsOf(bo)).toEqual([boLater]);

    // A draft not yet expired stays beside a new one.
    const anaLast = await drafts.keep(ana, { title: 'Keyboard missing' }, expiry + 1_000);
    expect(await rowsOf(ana)).toEqual([anaLater, anaLast].sort());
  });

  it("keeps a step's draft anew under the id its form names, when that draft is its author's", async () => {
    const draft = await drafts.keep(ana, { title: 'Printer down' }, at);
    await expect(
      drafts.keep(ana, { title: 'Printer down', description: 'Blank pages' }, at + 1_000, draft),
    ).resolves.toBe(draft);
    // Its text and its expiry are the later step's.
    await expect(drafts.read(ana, draft, expiry + 500)).resolves.toEqual({
      title: 'Printer down',
      description: 'Blank pages',
    });
    expect(await rowsOf(ana)).toEqual([draft]);

    // Another person naming it keeps a draft of their own; Ana's is untouched.
    const bos = await drafts.keep(bo, { title: 'Not yours' }, at, draft);
    expect(bos).not.toBe(draft);
    await expect(drafts.read(bo, bos, at)).resolves.toEqual({ title: 'Not yours' });
    await expect(drafts.read(ana, draft, at + 1_000)).resolves.toEqual({
      title: 'Printer down',
      description: 'Blank pages',
    });

    // A draft deleted since (its ticket opened) is not brought back: the step keeps a new one.
    await drafts.discard(ana, draft);
    const again = await drafts.keep(ana, { title: 'Another ticket' }, at + 2_000, draft);
    expect(again).not.toBe(draft);
    expect(await rowsOf(ana)).toEqual([again]);
  });

  it("deletes its author's expired drafts in the one statement of a keep, whichever draft the form names", async () => {
    let statements = 0;
    const counted = pgFormDraftStore({
      query: (...args: unknown[]) => {
        statements += 1;
        return (db.query as (...queryArgs: unknown[]) => unknown)(...args);
      },
    } as unknown as Pool);
    const anas = await drafts.keep(ana, { title: 'Printer down' }, at);
    const boOld = await drafts.keep(bo, { title: 'Scanner jammed' }, at);

    // Bo names Ana's draft once his own has expired: a new draft of his, his expired one gone, Ana's untouched.
    const boNew = await counted.keep(bo, { title: 'Not yours' }, expiry, anas);
    expect(statements).toBe(1);
    expect([boNew, anas]).not.toContain(boOld);
    expect(boNew).not.toBe(anas);
    expect(await rowsOf(bo)).toEqual([boNew]);
    expect(await rowsOf(ana)).toEqual([anas]);

    // Bo keeps his own draft anew: the same id, in one statement again.
    await expect(counted.keep(bo, { title: 'Mine' }, expiry + 1_000, boNew)).resolves.toBe(boNew);
    expect(statements).toBe(2);
    await expect(drafts.read(bo, boNew, expiry + 2_000)).resolves.toEqual({ title: 'Mine' });
  });

  it("discards its author's draft, and nobody else's", async () => {
    const draft = await drafts.keep(ana, { title: 'Printer down' }, at);
    await drafts.discard(bo, draft);
    expect(await rowsOf(ana)).toEqual([draft]);
    await drafts.discard(ana, draft);
    expect(await rowsOf(ana)).toEqual([]);
    await expect(drafts.read(ana, draft, at)).resolves.toBeUndefined();
  });
});
