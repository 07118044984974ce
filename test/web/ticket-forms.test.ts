import { consoleContext } from '../support/web/page-context';
import { ACTION_TABLE, TICKET_ACTION_NAMES, TICKET_EVENT_TYPES } from '../../messages/ticket-actions';
import { METRICS, PRIORITIES } from '../../domain/policy/vocabulary';
import { TICKET_STATUSES } from '../../domain/ticket/status';
import type { Session } from '../../db/sessions';
import type { TicketView } from '../../api/schemas/ticket';
import { term, type ConsoleLanguage } from '../../api/web/i18n';
import { CONSOLE_ACTIONS, MAX_DURATION_MINUTES, eurosToCents, formsFor } from '../../api/web/ticket-forms';
import { ticketBody } from '../../api/web/ticket-page';
import { estimateSubmission, quoteSubmission } from '../support/ticket-lifecycle';

const ticket = (overrides: Partial<TicketView> = {}): TicketView => ({
  ticketNumber: 'VIG-000042',
  customerId: 'kirchberg',
  policyId: 'mixvoip-entreprises',
  kind: 'incident',
  priority: 'P2',
  priorityConfirmed: true,
  status: 'support',
  title: 'Phones down',
  description: 'Every phone',
  contact: { name: 'Ana Lopes', email: 'ana@kirchberg.test' },
  revision: 3,
  asOf: '2027-03-01T09:00:00.000Z',
  openedAt: '2027-03-01T08:00:00.000Z',
  slaBreached: false,
  clocks: [
    {
      metric: 'resolution',
      state: 'running',
      deadline: '2027-03-02T08:00:00.000Z',
      pauses: [],
      thresholds: [],
      remainingMs: 3_900_000,
    },
  ],
  timeEntries: [],
  rateCard: { pricesBy: 'role', names: ['engineer', 'technician'], excluded: [] },
  events: [{ at: '2027-03-01T08:00:00.000Z', type: 'opened' }],
  ...overrides,
});

const session = (role: Session['role']): Session => ({
  userId: '1',
  email: 'x@y.test',
  name: 'X',
  role,
  csrfToken: 't'.repeat(43),
  ...(role === 'customer' ? { customerId: 'kirchberg' } : {}),
});
const page = (role: Session['role'], language: ConsoleLanguage = 'en') => consoleContext(language, session(role));
/** The server's clock as a form reads it: a Monday in winter, 10:40:30 in the desk's zone (UTC+1). */
const NOW = Date.parse('2027-03-01T09:40:30.000Z');
const build = (path: string, form: Record<string, string>, now = NOW) => CONSOLE_ACTIONS[path]!.toBody(form, now);
const fieldsOf = (path: string) =>
  CONSOLE_ACTIONS[path]!.fields.map((field) => `${field.name}:${field.type}${field.required ? '!' : ''}`);

describe("the ticket page's forms, from the action table", () => {
  it('offers a form for every action of the table, by its path, the slashed quote decisions included', () => {
    expect(Object.keys(CONSOLE_ACTIONS).sort()).toEqual(
      TICKET_ACTION_NAMES.map((name) => ACTION_TABLE[name].path).sort(),
    );
    expect(CONSOLE_ACTIONS['quote/accept']!.name).toBe('accept-quote');
    expect(CONSOLE_ACTIONS['quote/decline']!.name).toBe('decline-quote');
  });

  it("takes each form's fields from its body schema, never the actor the API fills in", () => {
    expect(fieldsOf('take-charge')).toEqual([]);
    expect(fieldsOf('start-intervention')).toEqual([]);
    expect(fieldsOf('reassign')).toEqual(['agent:text!']);
    expect(fieldsOf('wait-for-customer')).toEqual(['question:textarea!']);
    expect(fieldsOf('priority')).toEqual(['priority:select!', 'reason:textarea']);
    expect(fieldsOf('workaround')).toEqual(['description:textarea!']);
    expect(fieldsOf('quote')).toEqual(['estimateMinutes:number!', 'amountCents:euros', 'note:textarea']);
    expect(fieldsOf('release-date')).toEqual(['releaseAt:datetime-local!']);
    expect(fieldsOf('cancel')).toEqual(['reason:textarea!']);
    expect(fieldsOf('customer-reply')).toEqual(['message:textarea']);
    expect(fieldsOf('quote/accept')).toEqual([]);
    expect(fieldsOf('quote/decline')).toEqual(['reason:textarea']);
    // Start and end, which the body requires, are not required on the page: a duration may stand for either.
    expect(fieldsOf('time-entries')).toEqual([
      'start:datetime-local',
      'end:datetime-local',
      'minutes:number',
      'role:select',
      'service:select',
      'travelMinutes:number',
      'onSite:checkbox',
      'remoteToolMissing:checkbox',
      'outOfHoursRequested:checkbox',
      'urgent:checkbox',
      'note:textarea',
    ]);
    expect(CONSOLE_ACTIONS.priority!.fields[0]!.choices!(ticket())).toEqual(PRIORITIES);
  });

  it("turns a log-time form into the API's body: instants in the desk's zone with their offset, numbers, every flag", () => {
    const built = build('time-entries', {
      start: '2027-03-01T09:30',
      end: '2027-03-01T10:15',
      role: 'engineer',
      travelMinutes: '25',
      urgent: 'on',
      note: 'PBX',
    });
    expect(built).toEqual({
      body: {
        start: '2027-03-01T09:30:00.000+01:00',
        end: '2027-03-01T10:15:00.000+01:00',
        role: 'engineer',
        travelMinutes: 25,
        onSite: false,
        remoteToolMissing: false,
        outOfHoursRequested: false,
        urgent: true,
        note: 'PBX',
      },
    });
    expect(
      build('time-entries', {
        start: '2027-03-01T09:30',
        end: '2027-03-01T10:15',
        travelMinutes: '1.5',
      }),
    ).toEqual({ field: 'travelMinutes', problem: 'fieldNumber' });
    expect(build('time-entries', { start: '', end: '2027-03-01T10:15' })).toEqual({
      field: 'start',
      problem: 'fieldRequired',
    });
  });

  it('takes a duration instead of a start and an end: from the start, up to the end, or ending now, in the desk zone', () => {
    const facts = { role: 'engineer', note: 'PBX' };
    const instants = (form: Record<string, string>, now = NOW) => {
      const built = build('time-entries', { ...facts, ...form }, now);
      if (!('body' in built)) return built;
      const { start, end, role, note, urgent } = built.body;
      // Nothing of the page's own reaches the API: the same body as a start and an end give.
      expect(Object.keys(built.body)).not.toContain('minutes');
      expect({ role, note, urgent }).toEqual({ role: 'engineer', note: 'PBX', urgent: false });
      return { start, end };
    };
    expect(instants({ start: '2027-03-01T09:30', minutes: '45' })).toEqual({
      start: '2027-03-01T09:30:00.000+01:00',
      end: '2027-03-01T10:15:00.000+01:00',
    });
    expect(instants({ end: '2027-03-01T10:15', minutes: '45' })).toEqual({
      start: '2027-03-01T09:30:00.000+01:00',
      end: '2027-03-01T10:15:00.000+01:00',
    });
    // Ending now, to the minute: never after the server's clock, so the workflow does not take it for future work.
    expect(instants({ minutes: '30', start: '', end: '' })).toEqual({
      start: '2027-03-01T10:10:00.000+01:00',
      end: '2027-03-01T10:40:00.000+01:00',
    });
    // Across the change to summer time (02:00 becomes 03:00 in Luxembourg): 60 real minutes, each instant its offset.
    expect(instants({ minutes: '60' }, Date.parse('2027-03-28T01:30:00.000Z'))).toEqual({
      start: '2027-03-28T01:30:00.000+01:00',
      end: '2027-03-28T03:30:00.000+02:00',
    });
    // The same entry as given with a start and an end.
    expect(build('time-entries', { ...facts, start: '2027-03-01T09:30', minutes: '45' })).toEqual(
      build('time-entries', { ...facts, start: '2027-03-01T09:30', end: '2027-03-01T10:15' }),
    );
  });

  it('names the field at fault when a duration or an instant is missing or wrong', () => {
    expect(build('time-entries', { start: '', end: '', minutes: '' })).toEqual({
      field: 'start',
      problem: 'fieldRequired',
    });
    expect(build('time-entries', { start: '2027-03-01T09:30', end: '' })).toEqual({
      field: 'end',
      problem: 'fieldRequired',
    });
    expect(build('time-entries', { minutes: 'half an hour' })).toEqual({ field: 'minutes', problem: 'fieldNumber' });
    expect(build('time-entries', { minutes: '-5' })).toEqual({ field: 'minutes', problem: 'fieldNumber' });
    const outOfRange = { field: 'minutes', problem: 'fieldDurationRange', values: { max: MAX_DURATION_MINUTES } };
    expect(build('time-entries', { minutes: '0' })).toEqual(outOfRange);
    expect(build('time-entries', { minutes: String(MAX_DURATION_MINUTES + 1) })).toEqual(outOfRange);
    expect(build('time-entries', { minutes: String(MAX_DURATION_MINUTES), start: '2027-03-01T09:30' })).toHaveProperty(
      'body',
    );
    expect(build('time-entries', { start: '2027-03-01T09:30', end: '2027-03-01T10:15', minutes: '45' })).toEqual({
      field: 'minutes',
      problem: 'fieldDurationWithBoth',
    });
    expect(build('time-entries', { start: 'soon', minutes: '45' })).toEqual({
      field: 'start',
      problem: 'fieldDateTime',
    });
    expect(build('time-entries', { end: 'soon', minutes: '45' })).toEqual({ field: 'end', problem: 'fieldDateTime' });
    // A form's own strings never pass for a problem.
    expect(
      build('time-entries', { start: '2027-03-01T09:30', end: '2027-03-01T10:15', field: 'x', problem: 'y' }),
    ).toHaveProperty('body');
  });

  it('shows the duration on the log-time form with its hint, in either language, start and end no longer required', () => {
    for (const language of ['en', 'fr'] as const) {
      const text = ticketBody(page('agent', language), ticket()).text;
      const context = consoleContext(language, session('agent'));
      expect(text).toContain(
        `<label for="time-entries-minutes">${context.t('durationMinutes')}</label><input id="time-entries-minutes" name="minutes" type="number" inputmode="numeric" step="1" min="1" max="1440" value="" aria-describedby="time-entries-minutes-hint"><span class="hint" id="time-entries-minutes-hint">`,
      );
      expect(text).toContain('<input id="time-entries-start" name="start" type="datetime-local" value="">');
    }
    expect(consoleContext('fr', session('agent')).t('durationMinutes')).toBe('Durée (minutes)');
    // A duration out of range is refused with the bound the form checks, which its message shows in either language.
    const refused = build('time-entries', { minutes: String(MAX_DURATION_MINUTES + 1) });
    if (!('problem' in refused)) throw new Error('a duration over the bound was taken');
    expect(consoleContext('en', session('agent')).t(refused.problem, refused.values)).toBe(
      `must be between 1 and ${MAX_DURATION_MINUTES} minutes`,
    );
    expect(consoleContext('fr', session('agent')).t(refused.problem, refused.values)).toBe(
      `doit être entre 1 et ${MAX_DURATION_MINUTES} minutes`,
    );
  });

  it('takes a quote in euros and sends cents, and a release date as an instant with offset', () => {
    expect(build('quote', { estimateMinutes: '600', amountCents: '1 200,5', note: '' })).toEqual({
      body: { estimateMinutes: 600, amountCents: 120050 },
    });
    expect(build('quote', { estimateMinutes: '600', amountCents: '12.3.4' })).toEqual({
      field: 'amountCents',
      problem: 'fieldAmount',
    });
    expect(build('quote', { estimateMinutes: '' })).toEqual({
      field: 'estimateMinutes',
      problem: 'fieldRequired',
    });
    expect(build('release-date', { releaseAt: '2027-07-01T22:00' })).toEqual({
      body: { releaseAt: '2027-07-01T22:00:00.000+02:00' },
    });
    expect(build('release-date', { releaseAt: 'tomorrow' })).toEqual({
      field: 'releaseAt',
      problem: 'fieldDateTime',
    });
    expect([
      eurosToCents('0.07'),
      eurosToCents('120'),
      eurosToCents('120,50'),
      eurosToCents('-1'),
      eurosToCents('1.234'),
    ]).toEqual([7, 12000, 12050, undefined, undefined]);
  });

  it("offers a role the ticket's rate card prices by, and a service where it prices by service", () => {
    const shown = (view: TicketView) =>
      CONSOLE_ACTIONS['time-entries']!.fields.filter((field) => field.shown?.(view) ?? true).map((field) => [
        field.name,
        field.choices?.(view),
      ]);
    const byService = ticket({
      rateCard: { pricesBy: 'service', names: ['telephony', 'network'], excluded: ['cabling'] },
    });
    expect(shown(byService).filter(([name]) => name === 'role' || name === 'service')).toEqual([
      ['service', ['telephony', 'network']],
    ]);
    expect(shown(ticket()).filter(([name]) => name === 'role' || name === 'service')).toEqual([
      ['role', ['engineer', 'technician']],
    ]);
    expect(
      shown(ticket({ rateCard: { pricesBy: 'flat', names: [], excluded: [] } })).filter(
        ([name]) => name === 'role' || name === 'service',
      ),
    ).toEqual([]);
  });

  it("offers each person the forms their role may send in the ticket's status; a quote's decision only while one awaits it", () => {
    const paths = (view: TicketView, role: Session['role']) => formsFor(view, role).map(([path]) => path);
    expect(paths(ticket(), 'agent')).toEqual([
      'start-intervention',
      'time-entries',
      'priority',
      'reassign',
      'wait-for-customer',
      'workaround',
      'propose-resolution',
      'cancel',
      'quote',
      'release-date',
    ]);
    expect(paths(ticket(), 'customer')).toEqual(['cancel']);
    expect(
      paths(ticket({ quote: { status: 'submitted', reason: 'long-intervention', estimateMinutes: 600 } }), 'customer'),
    ).toEqual(['cancel', 'quote/accept', 'quote/decline']);
    expect(paths(ticket({ status: 'waiting' }), 'customer')).toEqual(['customer-reply', 'cancel']);
    expect(paths(ticket({ status: 'request' }), 'agent')).toEqual(['take-charge', 'priority', 'cancel']);
  });
});

describe('the ticket page', () => {
  it("shows the quote, the release date, the customer's messages and attachments, and the desk's mails, in French", () => {
    const view = ticket({
      status: 'scheduled',
      releaseAt: '2027-07-01T20:00:00.000Z',
      quote: { status: 'accepted', reason: 'long-intervention', estimateMinutes: 600, amountCents: 120050 },
      events: [
        { at: '2027-03-01T08:00:00.000Z', type: 'opened' },
        { at: '2027-03-01T09:00:00.000Z', type: 'waiting-for-customer', by: 'Ines', note: 'Which model?' },
        {
          at: '2027-03-01T10:00:00.000Z',
          type: 'customer-replied',
          by: 'Ana',
          actorId: 'contact:ana@kirchberg.test',
          channel: 'email',
          note: 'The <b>T46</b>',
        },
      ],
    });
    const extras = {
      messages: [
        {
          id: 1,
          from: 'ana@kirchberg.test',
          subject: 'Phones',
          text: 'Dead since 9:00',
          receivedAt: '2027-03-01T07:59:00.000Z',
        },
      ],
      attachments: [
        {
          id: 7,
          filename: 'pbx "log".txt',
          contentType: 'text/plain',
          sizeBytes: 2048,
          receivedAt: '2027-03-01T07:59:00.000Z',
        },
      ],
      notifications: [
        {
          id: 3,
          kind: 'acknowledgement',
          state: 'sent',
          recipient: 'ana@kirchberg.test',
          subject: 'VIG-000042',
          createdAt: '2027-03-01T08:00:01.000Z',
          sentAt: '2027-03-01T08:00:02.000Z',
        },
      ],
    };
    const text = ticketBody(page('agent', 'fr'), view, undefined, extras).text;
    expect(text).toContain('<dd class="status">mise en production planifiée</dd>');
    expect(text).toContain('<dd class="quote">accepté · 10 h · 1\u202f200,50\u00a0€ · intervention longue</dd>');
    expect(text).toContain(
      '<dd class="release"><time datetime="2027-07-01T20:00:00.000Z">1 juil. 2027, 22:00</time></dd>',
    );
    expect(text).toMatch(/Dead since 9:00[\s\S]*Which model\?[\s\S]*The &lt;b&gt;T46&lt;\/b&gt;/);
    expect(text).toContain('<a href="/console/tickets/VIG-000042/attachments/7" download>pbx &quot;log&quot;.txt</a>');
    expect(text).toContain('<h2>E-mails envoyés</h2>');
    expect(text).toContain('<td>accusé de réception</td>');
    expect(text).toContain('<td>résolution</td><td>en cours</td>');
    expect(text).toContain('hx-get="/console/tickets/VIG-000042/clocks" hx-trigger="every 30s"');
    expect(text).toContain('<td>1 h 05</td>');
    // The audit trail: who, and through which channel when it was recorded.
    expect(text).toContain(
      'réponse du client · <span class="actor">Ana</span> <span class="channel">(par e-mail)</span>',
    );
    expect(text).toContain('question au client · <span class="actor">Ines</span><br>');
  });

  it('marks a clock at risk only while it runs past a warning: once stopped in time, or paused, it is not', () => {
    const warned = [
      { percent: 50, at: '2027-03-01T08:30:00.000Z', notify: ['desk'], notified: true },
      { percent: 100, at: '2027-03-01T09:30:00.000Z', notify: ['desk-manager'], notified: false },
    ];
    const clock = { deadline: '2027-03-01T09:30:00.000Z', pauses: [], thresholds: warned };
    const text = ticketBody(
      page('agent'),
      ticket({
        clocks: [
          { ...clock, metric: 'response', state: 'stopped', met: true, stoppedAt: '2027-03-01T08:45:00.000Z' },
          { ...clock, metric: 'intervention', state: 'paused', remainingMs: 1_800_000 },
          { ...clock, metric: 'resolution', state: 'running', remainingMs: 1_800_000 },
        ],
      }),
    ).text;
    const rowOf = (metric: string) => text.split('<tr').find((row) => row.includes(`<td>${metric}</td>`)) ?? '';
    expect(rowOf('response')).not.toContain('At risk');
    expect(rowOf('response')).toMatch(/^ class="">/);
    expect(rowOf('intervention')).not.toContain('At risk');
    expect(rowOf('resolution')).toContain('class="at-risk"');
    expect(rowOf('resolution')).toContain('<strong class="badge">At risk</strong>');
  });

  it('names the contact to call back, with a mail link, and marks a ticket opened through the emergency channel', () => {
    const standard = ticketBody(page('agent'), ticket()).text;
    expect(standard).toContain(
      '<dt>Contact</dt><dd class="contact">Ana Lopes · <a href="mailto:ana@kirchberg.test">ana@kirchberg.test</a></dd>',
    );
    expect(standard).toContain('<dd class="priority">P2</dd>');
    const emergency = ticketBody(page('agent', 'fr'), ticket({ priority: 'P1', channel: 'emergency' })).text;
    expect(emergency).toContain('<dd class="priority">P1 <strong class="badge">Urgence</strong></dd>');
    expect(emergency).toContain('<dd class="contact">Ana Lopes · <a href="mailto:');
  });

  it("names the ticket's customer as GET /v1/customers names it, escaped, and by its id without a name", () => {
    const view = ticket();
    expect(ticketBody(page('agent'), view).text).toContain(`<dd class="customer">${view.customerId}</dd>`);
    expect(ticketBody(page('agent'), view, undefined, { customerName: "Fils d'Esch & Cie" }).text).toContain(
      '<dd class="customer">Fils d&#39;Esch &amp; Cie</dd>',
    );
  });

  it("says business time only where every clock counts it: an emergency's response runs around the clock", () => {
    const clock = { deadline: '2027-03-01T09:30:00.000Z', pauses: [], thresholds: [] };
    const emergency = ticket({
      channel: 'emergency',
      clocks: [
        { ...clock, metric: 'response', state: 'running', remainingMs: 1_800_000, unit: 'calendarHours' },
        { ...clock, metric: 'resolution', state: 'running', remainingMs: 3_900_000, unit: 'businessHours' },
      ],
    });
    const en = ticketBody(page('agent'), emergency).text;
    expect(en).not.toContain('Business time left');
    expect(en).toContain('<th scope="col">Time left</th>');
    expect(en).toContain('30 min (around the clock)');
    expect(en).toContain('1 h 05 min (business time)');
    const fr = ticketBody(page('agent', 'fr'), emergency).text;
    expect(fr).not.toContain('Temps ouvré restant');
    expect(fr).toContain('<th scope="col">Temps restant</th>');
    expect(fr).toContain('30 min (24 h/24)');
    // French writes the minutes after the hours bare, as a desk writes a time.
    expect(fr).toContain('1 h 05 (temps ouvré)');
    // A ticket whose clocks all count business time keeps the column's word for it, and no figure repeats it.
    const standard = ticketBody(page('agent'), ticket()).text;
    expect(standard).toContain('<th scope="col">Business time left</th>');
    expect(standard).not.toContain('(business time)');
  });

  // The line feed after <textarea> is the one the HTML parser drops (api/web/html.ts textareaText), so the reason's own
  // first line break is kept.
  it('names every form by its path, ids without slashes, and keeps a refusal beside its form', () => {
    const view = ticket({ quote: { status: 'submitted', reason: 'long-intervention', estimateMinutes: 600 } });
    const text = ticketBody(page('customer'), view, {
      action: 'quote/decline',
      message: 'no',
      fields: { reason: 'Reason is wrong' },
      values: { reason: '\ntoo dear' },
    }).text;
    expect(text).toContain('action="/console/tickets/VIG-000042/quote/accept"');
    expect(text).toContain(
      '<textarea id="quote-decline-reason" name="reason" rows="3" aria-describedby="quote-decline-reason-error" aria-invalid="true">\n&#10;too dear</textarea>',
    );
    expect(text).not.toContain('E-mails');
    expect(text).not.toContain('Mails sent');
  });
});

describe("the ticket page's order and its forms' grouping", () => {
  const formPaths = (text: string) =>
    [...text.matchAll(/<form method="post" action="\/console\/tickets\/VIG-000042\/([^"]+)"/g)].map(
      (match) => match[1],
    );
  /** The forms standing open and those folded under a summary, each by its path, in the page's order. */
  const grouping = (text: string) => {
    const folded = [
      ...text.matchAll(
        /<details class="action-more"><summary>([^<]*)<\/summary><form method="post" action="\/console\/tickets\/VIG-000042\/([^"]+)"/g,
      ),
    ];
    const foldedPaths = folded.map((match) => match[2]);
    return {
      open: formPaths(text).filter((path) => !foldedPaths.includes(path)),
      folded: folded.map((match) => `${match[2]}: ${match[1]}`),
    };
  };

  it('shows the facts, the clocks and the messages before the forms, and the history after them', () => {
    const text = ticketBody(page('agent'), ticket()).text;
    const at = (marker: string) => {
      const index = text.indexOf(marker);
      expect([marker, index]).not.toEqual([marker, -1]);
      return index;
    };
    const order = [
      '<dl class="facts">',
      '<div id="clocks"',
      '<h2>Messages with the customer</h2>',
      '<section class="actions"',
      '<h2>Time entries</h2>',
      '<ol class="history">',
    ].map(at);
    expect(order).toEqual([...order].sort((one, other) => one - other));
    // No form before the section that holds them all.
    expect(text.indexOf('<form')).toBeGreaterThan(at('<section class="actions"'));
  });

  it('keeps the likely next action open and folds each other form under its name, every form once with its token', () => {
    const text = ticketBody(page('agent'), ticket()).text;
    expect(grouping(text)).toEqual({
      open: ['time-entries'],
      folded: [
        'start-intervention: Start the intervention',
        'priority: Set the priority',
        'reassign: Reassign',
        'wait-for-customer: Ask the customer and wait',
        'workaround: Record a workaround',
        'propose-resolution: Propose a resolution',
        'cancel: Cancel the ticket',
        'quote: Submit a quote',
        'release-date: Set the release date',
      ],
    });
    // Only order and grouping moved: each form the table offers is there once, with its CSRF token.
    const offered = formsFor(ticket(), 'agent').map(([path]) => path);
    expect([...formPaths(text)].sort()).toEqual([...offered].sort());
    expect(text.split('name="_csrf"').length - 1).toBe(offered.length);
    expect(text).toContain('<h2 id="actions-title">Actions</h2>');
  });

  it('opens what each status most likely asks for: taking in charge, replying, deciding a quote or a resolution', () => {
    expect(grouping(ticketBody(page('agent'), ticket({ status: 'request' })).text)).toEqual({
      open: ['take-charge'],
      folded: ['priority: Set the priority', 'cancel: Cancel the ticket'],
    });
    expect(grouping(ticketBody(page('customer'), ticket({ status: 'waiting' })).text)).toEqual({
      open: ['customer-reply'],
      folded: ['cancel: Cancel the ticket'],
    });
    const quoted = ticket({ quote: { status: 'submitted', reason: 'long-intervention', estimateMinutes: 600 } });
    expect(grouping(ticketBody(page('customer'), quoted).text)).toEqual({
      open: ['quote/accept', 'quote/decline'],
      folded: ['cancel: Cancel the ticket'],
    });
    expect(grouping(ticketBody(page('customer'), ticket({ status: 'validation' })).text).open).toEqual([
      'validate',
      'reject',
    ]);
    // Nothing likely to do: the customer's only form, cancelling, stays folded.
    expect(grouping(ticketBody(page('customer'), ticket()).text)).toEqual({
      open: [],
      folded: ['cancel: Cancel the ticket'],
    });
  });

  it("names each folded form in the page's language", () => {
    const { folded } = grouping(ticketBody(page('agent', 'fr'), ticket()).text);
    expect(folded).toHaveLength(9);
    expect(folded).toContain(`propose-resolution: ${consoleContext('fr', session('agent')).t('proposeResolution')}`);
    expect(folded.every((entry) => !/: (Propose a resolution|Reassign|Cancel the ticket)$/.test(entry))).toBe(true);
  });

  it('opens a form a refusal sent back, first, with its message and its values, never folded', () => {
    const text = ticketBody(page('agent'), ticket(), {
      action: 'wait-for-customer',
      message: 'Question is required',
      fields: { question: 'Required' },
      values: { question: 'Which floor?' },
    }).text;
    const { open, folded } = grouping(text);
    expect(open).toEqual(['wait-for-customer', 'time-entries']);
    expect(folded.map((entry) => entry.split(':')[0])).not.toContain('wait-for-customer');
    const form = text.slice(text.indexOf('action="/console/tickets/VIG-000042/wait-for-customer"'));
    expect(form.slice(0, form.indexOf('</form>'))).toContain('<strong>Refused:</strong> Question is required');
    expect(form.slice(0, form.indexOf('</form>'))).toContain('Which floor?');
  });
});

describe('French words for the API’s', () => {
  it('has one for every status, event, clock and clock state', () => {
    const words = [...TICKET_STATUSES, ...TICKET_EVENT_TYPES, ...METRICS, 'running', 'paused', 'stopped', 'no-target'];
    expect(
      words.filter((word) => term('fr', word) === word && !/^(P\d|incident|intervention|support)$/.test(word)),
    ).toEqual([]);
    expect(term('en', 'waiting')).toBe('waiting');
  });
});

describe('English words for the API’s codes', () => {
  it('has one for every hyphenated status, event, clock state, quote reason, escalation level and mail kind', () => {
    const codes = [
      ...TICKET_STATUSES,
      ...TICKET_EVENT_TYPES,
      ...METRICS,
      'no-target',
      'long-intervention',
      'excluded-work',
      'desk-manager',
      'customer-service-manager',
      'emergency-escalation',
      'threshold-warning',
      'emergency-opened',
    ];
    expect(codes.filter((code) => term('en', code).includes('-'))).toEqual([]);
  });
});

describe("the ticket page's history", () => {
  const historyOf = (view: TicketView, language: ConsoleLanguage) =>
    ticketBody(page('agent', language), view).text.split('<ol class="history">')[1] ?? '';
  const own = ticket({
    channel: 'emergency',
    status: 'refused',
    refusal: { reason: 'contact-not-authorized-out-of-hours', contact: 'eve@kirchberg.test' },
    events: [
      { at: '2027-03-01T08:00:00.000Z', type: 'opened' },
      { at: '2027-03-01T08:00:00.000Z', type: 'acknowledged' },
      { at: '2027-03-01T08:00:00.000Z', type: 'refused' },
      {
        at: '2027-03-01T08:30:00.000Z',
        type: 'sla-threshold',
        metric: 'response',
        percent: 87.5,
        notified: ['desk', 'emergency-escalation'],
      },
      { at: '2027-03-01T09:00:00.000Z', type: 'sla-breached', metric: 'intervention' },
      { at: '2027-03-01T09:00:00.000Z', type: 'release-due' },
      { at: '2027-03-01T09:00:00.000Z', type: 'auto-validated' },
      { at: '2027-03-01T09:00:00.000Z', type: 'waiting-for-customer', by: 'marc', note: 'Which floor?' },
    ],
  });

  it("words what the ticket did on its own in the page's language, from the event's data", () => {
    const french = historyOf(own, 'fr');
    expect(french).toContain('canal d’urgence : P1, traité immédiatement');
    expect(french).toContain(
      'seuls les contacts nommés dans le contrat peuvent ouvrir un incident, et eve@kirchberg.test',
    );
    expect(french).toContain('prise en charge : 87,5 % du délai utilisé ; prévenus : support, escalade d’urgence');
    expect(french).toContain('intervention : délai dépassé');
    expect(french).toContain('date de mise en production atteinte');
    expect(french).toContain('pas de réponse du client dans le délai de la politique');
    expect(historyOf(own, 'en')).toContain('response: 87.5% of the time used; notified: desk, emergency escalation');
  });

  it("words an estimate's and a quote's figures in the page's language, money as the page writes euros", () => {
    const quoted = ticket({
      events: [
        { at: '2027-03-01T09:00:00.000Z', ...estimateSubmission.event },
        { at: '2027-03-01T09:30:00.000Z', ...quoteSubmission.event },
        // Recorded before the figures were kept as data: its note is all there is.
        { at: '2027-03-01T10:00:00.000Z', type: 'quote-submitted', by: 'marc', note: '60 min (excluded-work)' },
      ],
    });
    const french = historyOf(quoted, 'fr');
    expect(french).toContain('2 h estimées : pas besoin de devis ; one printer');
    expect(french).toContain('13 h 20 · 1\u202f234,50\u00a0€ (intervention longue)');
    expect(french).not.toMatch(/\d min,/);
    expect(french).not.toContain('cents');
    expect(french).not.toContain('no quote needed');
    expect(french).toContain('60 min (excluded-work)');
    const english = historyOf(quoted, 'en');
    expect(english).toContain('2 h estimated: no quote needed; one printer');
    expect(english).toContain('13 h 20 min · €1,234.50 (long intervention)');
  });

  it("shows people's own notes as they wrote them, in either language", () => {
    expect(historyOf(own, 'fr')).toContain('Which floor?');
  });

  it("names who an emergency's registration told at once, in the page's language", () => {
    const told = ticket({
      channel: 'emergency',
      events: [
        { at: '2027-03-01T08:00:00.000Z', type: 'opened' },
        { at: '2027-03-01T08:00:00.000Z', type: 'acknowledged', notified: ['desk', 'emergency-escalation'] },
      ],
    });
    expect(historyOf(told, 'fr')).toContain(
      'canal d’urgence : P1, traité immédiatement ; prévenus aussitôt : support, escalade d’urgence',
    );
    expect(historyOf(told, 'en')).toContain(
      'emergency channel: P1, handled at once; told at once: desk, emergency escalation',
    );
  });
});

describe("the ticket page's time entries", () => {
  const entry = { agent: 'Ines', role: 'engineer', onSite: false };
  const logged = ticket({
    timeEntries: [
      { ...entry, start: '2027-03-01T08:00:00.000Z', end: '2027-03-01T21:20:00.000Z', travelMinutes: 45 },
      { ...entry, start: '2027-03-02T08:00:00.000Z', end: '2027-03-02T14:40:00.000Z' },
    ],
  });

  it('words each duration, the total and the travel as a desk reads them, never as a count of minutes', () => {
    const english = ticketBody(page('agent', 'en'), logged).text;
    expect(english).toContain('<th scope="col">Time</th>');
    expect(english).toContain('<td>13 h 20 min</td><td>engineer · Travel: 45 min</td>');
    expect(english).toContain('<td>6 h 40 min</td>');
    expect(english).toContain('<td>20 h</td><td></td></tr></tfoot>');
    expect(english).not.toMatch(/<td>\d+<\/td>/);
    const french = ticketBody(page('agent', 'fr'), logged).text;
    expect(french).toContain('<th scope="col">Durée</th>');
    expect(french).toContain('<td>13 h 20</td><td>engineer · Déplacement : 45 min</td>');
    expect(french).toContain('<td>20 h</td><td></td></tr></tfoot>');
  });
});

describe("the ticket page's bill", () => {
  const billed = ticket({
    status: 'closed',
    quote: { status: 'accepted', reason: 'excluded-work', amountCents: 123_450 },
    billing: {
      lines: [
        {
          description: 'Emergency fee, charged at ticket opening',
          minutes: 0,
          rateCents: 15_000,
          multiplier: 1,
          amountCents: 1_234_500,
        },
      ],
      totalCents: 1_234_500,
    },
  });

  it("writes each amount in the page's language", () => {
    const french = ticketBody(page('agent', 'fr'), billed).text.replace(/\u202f|\u00a0/g, ' ');
    expect(french).toContain('<td>0 min</td><td>12 345,00 €</td>');
    expect(french).toContain('1 234,50 €');
    const english = ticketBody(page('agent', 'en'), billed).text;
    expect(english).toContain('<td>0 min</td><td>€12,345.00</td>');
    expect(english).toContain('€1,234.50');
  });

  it("words each line in the page's language from its label, and as the ticket says it without one", () => {
    const labelled = { billingLabels: [{ index: 0, label: { kind: 'emergency-fee' as const } }] };
    expect(ticketBody(page('agent', 'fr'), billed, undefined, labelled).text).toContain(
      '<td>Forfait d&#39;urgence, facturé à l&#39;ouverture du ticket</td>',
    );
    expect(ticketBody(page('agent', 'fr'), billed).text).toContain('<td>Emergency fee, charged at ticket opening</td>');
    expect(ticketBody(page('agent', 'en'), billed, undefined, labelled).text).toContain(
      '<td>Emergency fee, charged at ticket opening</td>',
    );
  });
});
