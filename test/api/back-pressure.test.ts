import { BackPressure, behindBy, type Backlog, type QueueBacklog } from '../../api/back-pressure';
import { apiHarness, openingBody } from '../support/api/harness';

const bounds = { maxTasks: 3, maxAgeSeconds: 5, probeIntervalMs: 1_000 };
const on = (queue: QueueBacklog['queue'], kind: QueueBacklog['kind'], tasks: number, oldestSeconds = 0) => ({
  queue,
  kind,
  tasks,
  oldestSeconds,
});
/** The four backlogs the probe reads, the ticket queue's as given and the others empty unless overridden. */
const backlog = (workflowTasks: number, oldestSeconds = 0, activityTasks = 0, ...others: QueueBacklog[]): Backlog => [
  on('tickets', 'workflow', workflowTasks, oldestSeconds),
  on('tickets', 'activity', activityTasks),
  ...(others.length ? others : [on('notices', 'activity', 0), on('read-model', 'activity', 0)]),
];
const idle = { oldestOpeningSeconds: 0 };

/** A probe the test answers by hand: how many were asked, and the answer to give to the one in flight. */
function handProbe() {
  const asked: Array<{ resolve: (backlog: Backlog) => void; reject: (error: Error) => void }> = [];
  const probe = () => new Promise<Backlog>((resolve, reject) => asked.push({ resolve, reject }));
  return { asked, probe };
}

describe('behindBy', () => {
  it.each([
    ['a backlog within its bounds', { backlog: backlog(3, 5), ...idle }, undefined],
    [
      'too many workflow tasks',
      { backlog: backlog(4, 1), ...idle },
      '4 workflow tasks wait for a worker on the ticket queue, the oldest for 1 s (bounds: 3 tasks, 5 s)',
    ],
    [
      'an oldest task waiting too long',
      { backlog: backlog(1, 6), ...idle },
      '1 workflow tasks wait for a worker on the ticket queue, the oldest for 6 s (bounds: 3 tasks, 5 s)',
    ],
    [
      'too many activity tasks',
      { backlog: backlog(0, 0, 9), ...idle },
      '9 activity tasks wait for a worker on the ticket queue, the oldest for 0 s (bounds: 3 tasks, 5 s)',
    ],
    [
      'a burst of notices none of which is late yet',
      { backlog: backlog(0, 0, 0, on('notices', 'activity', 1_000, 4)), ...idle },
      undefined,
    ],
    [
      'a notice waiting past the age bound',
      { backlog: backlog(0, 0, 0, on('notices', 'activity', 2, 7)), ...idle },
      '2 warning or breach notices wait for a worker, the oldest for 7 s (bound: 5 s)',
    ],
    [
      'a read model behind, which refuses nothing',
      { backlog: backlog(0, 0, 0, on('read-model', 'activity', 5_000, 600)), ...idle },
      undefined,
    ],
    [
      'an opening in flight past the age bound, the backlogs empty (a worker starved of CPU)',
      { backlog: backlog(0), oldestOpeningSeconds: 5.6 },
      'a ticket opening has waited 6 s for its registration (bound: 5 s)',
    ],
    ['no reading and no opening late (a probe failed)', { oldestOpeningSeconds: 5 }, undefined],
    [
      'no reading and an opening late',
      { oldestOpeningSeconds: 9 },
      'a ticket opening has waited 9 s for its registration (bound: 5 s)',
    ],
  ])('judges %s', (_case, load, reason) => {
    expect(behindBy(load, bounds)).toBe(reason);
  });

  it('names the ticket queue before late notices, and both before a late opening', () => {
    const late = on('notices', 'activity', 1, 60);
    expect(behindBy({ backlog: backlog(9, 0, 0, late), oldestOpeningSeconds: 60 }, bounds)).toMatch(/ticket queue/);
    expect(behindBy({ backlog: backlog(0, 0, 0, late), oldestOpeningSeconds: 60 }, bounds)).toMatch(/notices/);
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

  it('gives up on a probe that never answers, refusing nothing on it, and asks again at the next interval', async () => {
    let now = 0;
    const { asked, probe } = handProbe();
    const gate = new BackPressure(probe, bounds, () => now, 1);
    void gate.refresh();
    asked[0]!.resolve(backlog(10));
    await gate.refresh();
    expect(gate.refusal()).toMatch(/^10 workflow tasks wait/);
    now += 1_000;
    await gate.refresh(); // never answered: its time is up, and the reading before it is not kept
    expect(gate.latest()).toBeUndefined();
    expect(gate.refusal()).toBeUndefined();
    now += 1_000;
    void gate.refresh();
    expect(asked).toHaveLength(3);
  });

  it('refuses while an opening it took has waited past the age bound, and takes again once it is answered', () => {
    let now = 0;
    const gate = new BackPressure(
      async () => backlog(0),
      bounds,
      () => now,
    );
    const first = gate.opening();
    now += 2_000;
    const second = gate.opening();
    now += 3_500;
    expect(gate.load().oldestOpeningSeconds).toBe(5.5);
    expect(gate.refusal()).toBe('a ticket opening has waited 6 s for its registration (bound: 5 s)');
    first();
    expect(gate.load().oldestOpeningSeconds).toBe(3.5);
    expect(gate.refusal()).toBeUndefined();
    second();
    expect(gate.load().oldestOpeningSeconds).toBe(0);
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
        'the workers are busy: 7 workflow tasks wait for a worker on the ticket queue, the oldest for 2 s (bounds: 3 tasks, 5 s); try again in 5 seconds',
    });
    expect(refused.json().detail).not.toMatch(/unreachable/);

    const metrics = (await harness.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('vigil_requests_refused_busy_total 1');
    expect(metrics).toContain('vigil_task_queue_backlog_tasks{queue="tickets",kind="workflow"} 7');
    expect(metrics).toContain('vigil_task_queue_backlog_age_seconds{queue="notices",kind="activity"} 0');
    expect(metrics).toContain('vigil_ticket_opening_oldest_seconds 0');
    expect(metrics).toContain('vigil_busy_max_backlog 3');

    // Bad input is still told as such first: the body is checked before the backlog.
    expect((await harness.call('acme', 'POST', '/v1/tickets', { ...openingBody, title: '' })).statusCode).toBe(422);

    reading = backlog(0);
    await gate.refresh();
    expect((await harness.call('acme', 'POST', '/v1/tickets', openingBody)).statusCode).toBe(201);
    // The opening counted in flight while it was answered is no longer once its answer is sent.
    expect(gate.load().oldestOpeningSeconds).toBe(0);
    await harness.app.close();
  });
});
