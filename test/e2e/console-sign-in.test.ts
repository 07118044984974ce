import { randomUUID } from 'node:crypto';
import { pgUserStore } from '../../db/users';
import { SESSION_COOKIE } from '../../api/sessions';
import { startStack, type Stack } from '../support/e2e/stack';

// A whole stack starts in beforeAll: minutes on a loaded 2-core machine, not Jest's default 5 s.
jest.setTimeout(180_000);

/** A browser reduced to what sign-in needs: a cookie jar and forms posted as a browser posts them, redirects not followed. */
class Visitor {
  readonly cookies = new Map<string, string>();
  constructor(private readonly origin: string) {}

  async send(method: 'GET' | 'POST', path: string, form?: Record<string, string>) {
    const response = await fetch(`${this.origin}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at), pair.slice(at + 1)];
      if (/Max-Age=0/.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return {
      status: response.status,
      location: response.headers.get('location'),
      setCookies: response.headers.getSetCookie(),
      text: await response.text(),
    };
  }

  /** The hidden `_csrf` of the form the page at `path` shows. */
  async token(path: string): Promise<string> {
    const page = await this.send('GET', path);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    if (!token) throw new Error(`no form token on ${path} (${page.status})`);
    return token;
  }

  async signIn(email: string, password: string) {
    return this.send('POST', '/console/sign-in', { _csrf: await this.token('/console/sign-in'), email, password });
  }
}

describe('signing in to the console', () => {
  let stack: Stack;
  let origin: string;
  const unique = randomUUID().slice(0, 8);
  const password = 'a long enough secret';

  beforeAll(async () => {
    stack = await startStack('console-sign-in');
    origin = stack.baseUrl.replace(/\/v1$/, '');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const person = async (role: 'agent' | 'customer', withPassword = true) =>
    pgUserStore(stack.db).create({
      email: `${role}.${randomUUID().slice(0, 8)}.${unique}@example.test`,
      name: `Test ${role}`,
      role,
      ...(role === 'customer' ? { customerId: stack.customerId } : {}),
      ...(withPassword ? { password } : {}),
    });

  it('sets an HTTP-only, SameSite=Lax session cookie, a new one at each sign-in (no fixation), and signs out', async () => {
    const user = await person('agent');
    const visitor = new Visitor(origin);
    visitor.cookies.set(SESSION_COOKIE, 'A'.repeat(43));
    const signedIn = await visitor.signIn(user.email, password);
    expect(signedIn).toMatchObject({ status: 303, location: '/console/' });
    const cookie = signedIn.setCookies.find((line) => line.startsWith(`${SESSION_COOKIE}=`))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    // Served over plain http here: Secure would keep the browser from sending it back.
    expect(cookie).not.toMatch(/; Secure/);
    const first = visitor.cookies.get(SESSION_COOKIE)!;
    expect(first).not.toBe('A'.repeat(43));
    expect((await visitor.send('GET', '/console/')).status).toBe(200);

    const again = await visitor.signIn(user.email, password);
    expect(again.status).toBe(303);
    expect(visitor.cookies.get(SESSION_COOKIE)).not.toBe(first);
    // The session the browser held before is ended, not left alive beside the new one.
    const stale = new Visitor(origin);
    stale.cookies.set(SESSION_COOKIE, first);
    expect(await stale.send('GET', '/console/')).toMatchObject({
      status: 303,
      location: '/console/sign-in?next=%2Fconsole%2F',
    });

    const token = await visitor.token('/console/');
    expect(await visitor.send('POST', '/console/sign-out', { _csrf: token })).toMatchObject({
      status: 303,
      location: '/console/sign-in',
    });
    expect(await visitor.send('GET', '/console/')).toMatchObject({ status: 303 });
  });

  it('refuses a sign-in form without its token, and a signed-in form whose token is not the session’s', async () => {
    const user = await person('agent');
    const visitor = new Visitor(origin);
    expect((await visitor.send('POST', '/console/sign-in', { email: user.email, password })).status).toBe(403);
    expect(
      (await visitor.send('POST', '/console/sign-in', { _csrf: 'x'.repeat(43), email: user.email, password })).status,
    ).toBe(403);
    expect((await visitor.signIn(user.email, password)).status).toBe(303);
    const before = visitor.cookies.get(SESSION_COOKIE);
    // Another site's form: the browser sends the cookie, but the attacker cannot know the session's token.
    expect(await visitor.send('POST', '/console/sign-out-everywhere', { _csrf: 'forged' })).toMatchObject({
      status: 403,
    });
    const still = new Visitor(origin);
    still.cookies.set(SESSION_COOKIE, before!);
    expect((await still.send('GET', '/console/')).status).toBe(200);
    expect(
      (await visitor.send('POST', '/console/tickets/new', { _csrf: 'forged', title: 'x', description: 'y' })).status,
    ).toBe(403);
  });

  it('locks an account after five wrong passwords, even against the right one, and says so', async () => {
    const user = await person('agent');
    const visitor = new Visitor(origin);
    for (let attempt = 1; attempt <= 4; attempt++)
      expect((await visitor.signIn(user.email, 'wrong password!')).status).toBe(401);
    const fifth = await visitor.signIn(user.email, 'wrong password!');
    expect(fifth.status).toBe(429);
    expect(fifth.text).toContain('Too many failed sign-ins for this account: try again in 15 min');
    expect((await visitor.signIn(user.email, password)).status).toBe(429);
    // An unknown address and a wrong password answer alike: the page does not tell who has an account.
    const unknown = await visitor.signIn(`nobody.${unique}@example.test`, password);
    expect(unknown.status).toBe(401);
    expect(unknown.text).toContain('This e-mail address and password do not match an active account.');
  });

  it('sends a customer a one-time sign-in link through the outbox, usable once', async () => {
    const user = await person('customer', false);
    const visitor = new Visitor(origin);
    const asked = await visitor.send('POST', '/console/link', {
      _csrf: await visitor.token('/console/link'),
      email: user.email.toUpperCase(),
    });
    expect(asked.text).toContain('If an account has this address, a link valid for 15 minutes is on its way.');
    const { rows } = await stack.db.query<{ kind: string; body: string; recipient: string }>(
      'SELECT kind, body, recipient FROM outbox WHERE recipient = $1',
      [user.email],
    );
    expect(rows).toEqual([expect.objectContaining({ kind: 'console-sign-in-link' })]);
    const link = /http:\/\/localhost:3000(\/console\/link\/[A-Za-z0-9_-]{43})/.exec(rows[0]!.body)![1]!;
    // Opening the link (a mail scanner does) spends nothing; the button does.
    expect((await visitor.send('GET', link)).status).toBe(200);
    const used = await visitor.send('POST', link, { _csrf: await visitor.token(link) });
    expect(used).toMatchObject({ status: 303, location: '/console/' });
    expect((await visitor.send('GET', '/console/')).status).toBe(200);
    const again = new Visitor(origin);
    expect((await again.send('GET', link)).status).toBe(410);
  });

  it("resets a password by e-mail, ending the person's other sessions; an unknown address gets the same answer", async () => {
    const user = await person('agent');
    const elsewhere = new Visitor(origin);
    expect((await elsewhere.signIn(user.email, password)).status).toBe(303);
    const visitor = new Visitor(origin);
    const unknown = await visitor.send('POST', '/console/reset', {
      _csrf: await visitor.token('/console/reset'),
      email: `nobody.${unique}@example.test`,
    });
    const known = await visitor.send('POST', '/console/reset', {
      _csrf: await visitor.token('/console/reset'),
      email: user.email,
    });
    expect(unknown.text).toBe(known.text);
    const { rows } = await stack.db.query<{ kind: string; body: string }>(
      'SELECT kind, body FROM outbox WHERE recipient = $1',
      [user.email],
    );
    expect(rows).toEqual([expect.objectContaining({ kind: 'console-password-reset' })]);
    const link = /(\/console\/reset\/[A-Za-z0-9_-]{43})/.exec(rows[0]!.body)![1]!;
    const token = await visitor.token(link);
    expect((await visitor.send('POST', link, { _csrf: token, password: 'short' })).status).toBe(422);
    expect(await visitor.send('POST', link, { _csrf: token, password: 'a brand new secret' })).toMatchObject({
      status: 303,
      location: '/console/',
    });
    expect((await elsewhere.send('GET', '/console/')).status).toBe(303);
    expect((await new Visitor(origin).signIn(user.email, password)).status).toBe(401);
    expect((await new Visitor(origin).signIn(user.email, 'a brand new secret')).status).toBe(303);
  });

  it('opens a mailed link in the language of its mail, whatever the browser that follows it says', async () => {
    const user = await person('customer');
    const asker = new Visitor(origin);
    asker.cookies.set('vigil_lang', 'fr');
    await asker.send('POST', '/console/reset', { _csrf: await asker.token('/console/reset'), email: user.email });
    const { rows } = await stack.db.query<{ body: string }>('SELECT body FROM outbox WHERE recipient = $1', [
      user.email,
    ]);
    const link = /(\/console\/reset\/[A-Za-z0-9_-]{43}\?lang=fr)/.exec(rows[0]!.body)?.[1];
    expect(link).toBeDefined();
    // Another browser, without the language cookie: the page speaks the mail's French, and so does its refusal.
    const follower = new Visitor(origin);
    const page = await follower.send('GET', link!);
    expect(page.text).toContain('Choisir un nouveau mot de passe');
    const action = /<form method="post" action="([^"]+)"/.exec(page.text)![1]!;
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const refused = await follower.send('POST', action, { _csrf, password: 'short' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Choisir un nouveau mot de passe');
  });

  it('opens one ticket when the same form is posted twice (a double click, a reload after a lost answer)', async () => {
    const user = await person('customer');
    const visitor = new Visitor(origin);
    expect((await visitor.signIn(user.email, password)).status).toBe(303);
    const page = (await visitor.send('GET', '/console/tickets/new')).text;
    const hidden = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(page)![1]!;
    const form = {
      _csrf: hidden('_csrf'),
      _key: hidden('_key'),
      title: 'Printer jammed',
      description: 'Second floor.',
      priority: 'P3',
    };
    const first = await visitor.send('POST', '/console/tickets/new', form);
    const second = await visitor.send('POST', '/console/tickets/new', form);
    expect(first).toMatchObject({ status: 303, location: expect.stringMatching(/^\/console\/tickets\/VIG-\d+$/) });
    expect(second.location).toBe(first.location);
    // A form shown again is a new request: its key is new.
    expect(
      new RegExp(`name="_key" value="${form._key}"`).test((await visitor.send('GET', '/console/tickets/new')).text),
    ).toBe(false);
  });

  // A lone surrogate cannot arrive in a form: UTF-8 has no code for it, and browsers send U+FFFD (test/web/html.test.ts
  // covers one printed from elsewhere).
  it.each([
    ['a NUL', 'Phones\u0000down'],
    ['a line break', 'Phones down\r\nBcc: everyone@acme.lu'],
  ])('refuses a title holding %s beside the field, and shows back what was typed as text', async (_what, title) => {
    const user = await person('customer');
    const visitor = new Visitor(origin);
    expect((await visitor.signIn(user.email, password)).status).toBe(303);
    const answer = await visitor.send('POST', '/console/tickets/new', {
      _csrf: await visitor.token('/console/tickets/new'),
      title: `<script>x</script>${title}`,
      description: 'd',
    });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.text).toMatch(/<span class="field-error" id="title-error">[^<]+<\/span>/);
    expect(answer.text).not.toContain('<script>x');
    expect(answer.text).not.toContain('\u0000');
    expect(answer.text).not.toMatch(/value="[^"]*[\r\n]/);
  });

  it('switches the language, and sends nobody off the console by its `back` or `next`', async () => {
    const visitor = new Visitor(origin);
    expect(await visitor.send('GET', '/console/language?to=fr&back=/console/sign-in')).toMatchObject({
      status: 303,
      location: '/console/sign-in',
    });
    expect((await visitor.send('GET', '/console/sign-in')).text).toContain('<html lang="fr">');
    for (const away of ['https://evil.test/', '//evil.test/', '/console//evil.test', '/\\evil.test']) {
      expect((await visitor.send('GET', `/console/language?to=en&back=${encodeURIComponent(away)}`)).location).toBe(
        '/console/',
      );
    }
  });
});

describe("the console's rate limit", () => {
  let stack: Stack;

  beforeAll(async () => {
    // A board page is two API calls (the tickets, and their customers' names): twelve calls are six pages.
    stack = await startStack('console-rate-limit', { rateLimit: { max: 12, windowMs: 3_600_000 } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("counts a person's pages by the API calls they make as that person, and passes the API's 429 on with its Retry-After", async () => {
    const origin = stack.baseUrl.replace(/\/v1$/, '');
    const password = 'a long enough secret';
    const users = pgUserStore(stack.db);
    const [first, second] = [
      await users.create({ email: `one.${randomUUID()}@desk.test`, name: 'One', role: 'agent', password }),
      await users.create({ email: `two.${randomUUID()}@desk.test`, name: 'Two', role: 'agent', password }),
    ];
    const one = new Visitor(origin);
    expect((await one.signIn(first.email, password)).status).toBe(303);
    const statuses: number[] = [];
    for (let page = 0; page < 7; page++) statuses.push((await one.send('GET', '/console/')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429]);
    const refused = await fetch(`${origin}/console/`, {
      headers: { cookie: `${SESSION_COOKIE}=${one.cookies.get(SESSION_COOKIE)!}` },
    });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another person at the same address is not held back by the first one's pages.
    const two = new Visitor(origin);
    expect((await two.signIn(second.email, password)).status).toBe(303);
    expect((await two.send('GET', '/console/')).status).toBe(200);
  });
});
