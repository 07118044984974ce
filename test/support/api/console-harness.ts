import type { LightMyRequestResponse } from 'fastify';
import { SESSION_COOKIE } from '../../../api/sessions';
import type { NewUser, User } from '../../../db/users';
import { apiHarness, NOW } from './harness';
import { inMemoryPeople } from './in-memory-people';

export type Person = User & { cookie: string; csrf: string };

/**
 * The API and the console on app.inject, with the people of test/support/api/in-memory-people.ts: apiHarness's
 * customers, contracts and keys, and a person signed in per role (an admin, an agent, a manager, acme's contact).
 * `page` posts forms as a browser does (urlencoded, the session's token unless told otherwise), redirects not followed.
 */
export async function consoleHarness(now = () => NOW) {
  let people!: ReturnType<typeof inMemoryPeople>;
  const harness = await apiHarness(now, (accounts) => ({
    people: (people = inMemoryPeople(accounts)),
    rateLimit: false,
  }));

  async function signedIn(input: NewUser): Promise<Person> {
    const user = await people.users.create(input);
    const { id, csrfToken } = await people.sessions.create(user.id, now());
    return { ...user, cookie: `${SESSION_COOKIE}=${id}`, csrf: csrfToken };
  }
  const staff = {
    admin: await signedIn({ email: 'ada@desk.test', name: 'Ada Admin', role: 'admin' }),
    agent: await signedIn({ email: 'ines@desk.test', name: 'Ines Agent', role: 'agent' }),
    manager: await signedIn({ email: 'mia@desk.test', name: 'Mia Manager', role: 'manager' }),
    customer: await signedIn({ email: 'carla@acme.lu', name: 'Carla Contact', role: 'customer', customerId: 'acme' }),
  };

  const page = (
    person: Person | undefined,
    method: 'GET' | 'POST',
    url: string,
    form?: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> =>
    harness.app.inject({
      method,
      url,
      headers: {
        ...(person ? { cookie: person.cookie } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...headers,
      },
      ...(form ? { payload: new URLSearchParams({ _csrf: person?.csrf ?? '', ...form }).toString() } : {}),
    });

  return { ...harness, people, staff, signedIn, page };
}
