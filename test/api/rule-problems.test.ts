import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { toProblem } from '../../api/problems';

const refused = (type: string, message: string, details?: unknown[]) =>
  new WorkflowUpdateFailedError(
    'Workflow Update failed',
    ApplicationFailure.create({ type, message, nonRetryable: true, details }),
  );

describe('the rules on logged time answer 409 problem+json, with their figures as members', () => {
  it('QUOTE_REQUIRED names the rule and the minutes left', () => {
    const figures = { allowedMinutes: 480, loggedMinutes: 450, minutesLeft: 30, entryMinutes: 60 };
    expect(
      toProblem(
        refused('QUOTE_REQUIRED', 'work beyond 480 min on a ticket needs a quote the customer has accepted: …', [
          figures,
        ]),
      ),
    ).toEqual({
      type: 'https://vigil.dev/problems/quote-required',
      title: 'More time needs a quote the customer accepted',
      status: 409,
      detail: 'work beyond 480 min on a ticket needs a quote the customer has accepted: …',
      code: 'QUOTE_REQUIRED',
      ...figures,
    });
  });

  it('TOO_MANY_PEOPLE names the people already counted', () => {
    expect(
      toProblem(refused('TOO_MANY_PEOPLE', 'at most 3 people …', [{ maxPeople: 3, people: ['anna', 'bert', 'carl'] }])),
    ).toMatchObject({
      type: 'https://vigil.dev/problems/too-many-people',
      status: 409,
      code: 'TOO_MANY_PEOPLE',
      maxPeople: 3,
      people: ['anna', 'bert', 'carl'],
    });
  });

  it('figures never replace the problem’s own members, and details that are not an object add nothing', () => {
    expect(
      toProblem(refused('QUOTE_REQUIRED', 'no', [{ status: 200, type: 'x', code: 'OK', minutesLeft: 5 }])),
    ).toMatchObject({
      status: 409,
      type: 'https://vigil.dev/problems/quote-required',
      code: 'QUOTE_REQUIRED',
      minutesLeft: 5,
    });
    expect(Object.keys(toProblem(refused('ALREADY_DONE', 'done', ['text', 3])))).toEqual([
      'type',
      'title',
      'status',
      'detail',
      'code',
    ]);
    expect(Object.keys(toProblem(refused('QUOTE_PENDING', 'wait')))).toEqual([
      'type',
      'title',
      'status',
      'detail',
      'code',
    ]);
  });
});
