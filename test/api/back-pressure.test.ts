import { BackPressure, behindBy, type Backlog } from '../../api/back-pressure';
import { apiHarness, openingBody } from '../support/api/harness';

const bounds = { maxTasks: 3, maxAgeSeconds: 5, probeIntervalMs: 1_000 };
const backlog = (workflowTasks: number, oldestSeconds = 0, activityTasks = 0): Backlog => ({
  workflow: { tasks: workflowTasks, oldestSeconds },
  activity: { tasks: activityTasks, oldestSeconds: 0 },
});

/** A probe the test answers by hand: how many were asked, and the answer to give to the one in flight. */
function handProbe() {
  const asked: Array<{ resolve: (backlog: Backlog) => void; reject: (error: Error) => void }> = [];
  const probe = () => new Promise<Backlog>((resolve, reject) => asked.push({ resolve, reject }));
  return { asked, probe };
}

describe('behindBy', () => {
  it.each([
    ['a backlog within its bounds', backlog(3, 5), undefined],
    [
      'too many workflow tasks',
      backlog(4, 1),
      '4 workflow tasks wait for a worker, the oldest for 1 s (bounds: 3 tasks, 5 s)',
    ],
    [
      'an oldest task waiting too long',
      backlog(1, 6),
      '1 workflow tasks wait for a worker, the oldest for 6 s (bounds: 3 tasks, 5 s)',
    ],
    [
      'too many activity tasks',
      backlog(0, 0, 9),
      '9 activity tasks wait for a worker, the oldest for 0 s (bounds: 3 tasks, 5 s)',
    ],
  ])('judges %s', (_case, reading, reason) => {
    expect(behindBy(reading, bounds)).toBe(reason);
  });
});

describe('BackPressure', () => {
  it('asks one probe at a time, at most once per interval, and never makes a request wait for it', async () => {
    let now = 0;
    const { asked, probe } = handProbe();
    const gate = new BackPressure(probe, bounds, () => now);
    expect(gate.refusal()).toBeUndefined(); // no reading yet: taken, and a probe is asked
    expect(gate.refusal()).toBeUndefined();
    expect(asked).toHaveLength(1);
    asked[0]!.resolve(backlog(4));
    await gate.refresh();
    expect(gate.refusal()).toMatch(/^4 workflow tasks wait/);
    expect(asked).toHaveLength(1); // within the interval: the last reading stands
    now += 1_000;
    expect(gate.refusal()).toMatch(/^4 workflow tasks wait/);
    expect(asked).toHaveLength(2);
    asked[1]!.resolve(backlog(0));
    await gate.refresh();
    expect(gate.refusal()).toBeUndefined();
    expect(gate.refused).toBe(2);
  });

  it('refuses nothing on a guess when the probe fails (Temporal slow or away)', async () => {
    let now = 0;
    const { asked, probe } = handProbe();
    const gate = new BackPressure(probe, bounds, () => now);
    void gate.refresh();
    asked[0]!.resolve(backlog(10));
    await gate.refresh();
    now += 1_000;
    const failed = gate.refresh();
    asked[1]!.reject(new Error('4 DEADLINE_EXCEEDED: Deadline exceeded'));
    await failed;
    expect(gate.latest()).toBeUndefined();
    expect(gate.refusal()).toBeUndefined();
  });
});

describe('POST /v1/tickets while the workers are behind', () => {
  it('answers 503 busy with Retry-After naming the backlog, counts it on /metrics, and takes tickets again once it drains', async () => {
    let reading = backlog(7, 2);
    const gate = new BackPressure(async () => reading, { ...bounds, probeIntervalMs: 0 });
    const harness = await apiHarness(undefined, { backPressure: gate });
    await gate.refresh();

    const refused = await harness.call('acme', 'POST', '/v1/tickets', openingBody);
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({
      type: 'https://vigil.dev/problems/busy',
      status: 503,
      detail:
        'the workers are busy: 7 workflow tasks wait for a worker, the oldest for 2 s (bounds: 3 tasks, 5 s); try again in 5 seconds',
    });
    expect(refused.json().detail).not.toMatch(/unreachable/);

    const metrics = (await harness.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('vigil_requests_refused_busy_total 1');
    expect(metrics).toContain('vigil_task_queue_backlog_tasks{kind="workflow"} 7');
    expect(metrics).toContain('vigil_busy_max_backlog 3');

    // Bad input is still told as such first: the body is checked before the backlog.
    expect((await harness.call('acme', 'POST', '/v1/tickets', { ...openingBody, title: '' })).statusCode).toBe(422);

    reading = backlog(0);
    await gate.refresh();
    expect((await harness.call('acme', 'POST', '/v1/tickets', openingBody)).statusCode).toBe(201);
    await harness.app.close();
  });
});
