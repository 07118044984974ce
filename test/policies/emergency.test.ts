import { Policy, PolicyValidationError } from '../../domain/policy';
import type { PolicyDocument } from '../../domain/policy';
import { findPolicy } from '../../policies/registry';
import econnect from '../../policies/presets/econnect.v1.json';

const valid = econnect as unknown as PolicyDocument;
const emergency = valid.emergency!;

function issuesOf(document: unknown): Array<{ path: string; message: string }> {
  try {
    Policy.parse(document, 'test.json');
  } catch (error) {
    if (error instanceof PolicyValidationError) return [...error.issues];
    throw error;
  }
  return [];
}

const withEmergency = (changes: Record<string, unknown>) => ({ ...valid, emergency: { ...emergency, ...changes } });

describe("the emergency channel's response target", () => {
  test('e-connect reads "traité dans l\'immédiat" as one calendar hour, told at opening, warned at 50% and 75%', () => {
    for (const id of ['econnect', 'econnect-maintenance']) {
      const policy = findPolicy(id, 1);
      expect(policy.emergencyResponse()).toEqual({
        target: { amount: 1, unit: 'calendarHours' },
        warningPercents: [],
        escalation: [50, 75, 100].map((atPercent) => ({ atPercent, notify: ['desk', 'emergency-escalation'] })),
        atOpening: ['desk', 'emergency-escalation'],
      });
      expect(policy.document.notes?.some((note) => /emergency channel.*1 hour of calendar time/.test(note))).toBe(true);
      expect(policy.document.notes?.some((note) => /told at once, when it is registered/.test(note))).toBe(true);
      expect(policy.escalationLevels).toEqual(['desk', 'emergency-escalation']);
    }
  });

  test('a level named only at opening is one a contract names people for', () => {
    const policy = Policy.parse(withEmergency({ atOpening: ['desk', 'on-call'] }), 'test.json');
    expect(policy.escalationLevels).toEqual(['desk', 'emergency-escalation', 'on-call']);
    expect(policy.emergencyResponse()?.atOpening).toEqual(['desk', 'on-call']);
  });

  test("a contract's target replaces the policy's; a policy without the section has no emergency clock", () => {
    expect(findPolicy('econnect', 1).emergencyResponse({ amount: 3, unit: 'calendarHours' })?.target).toEqual({
      amount: 3,
      unit: 'calendarHours',
    });
    expect(findPolicy('esker', 1).emergencyResponse({ amount: 3, unit: 'calendarHours' })).toBeUndefined();
  });

  test.each<[string, unknown, string, RegExp]>([
    [
      'in business hours',
      withEmergency({ responseTarget: { amount: 1, unit: 'businessHours' } }),
      '/emergency/responseTarget/unit',
      /expected "calendarHours": an emergency is handled day and night, got "businessHours"/,
    ],
    [
      'beyond a day',
      withEmergency({ responseTarget: { amount: 25, unit: 'calendarHours' } }),
      '/emergency/responseTarget/amount',
      /whole number of hours from 1 to 24, got 25/,
    ],
    [
      'of no time',
      withEmergency({ responseTarget: { amount: 0, unit: 'calendarHours' } }),
      '/emergency/responseTarget/amount',
      /a whole number of at least 1/,
    ],
    ['missing', withEmergency({ responseTarget: undefined }), '/emergency/responseTarget', /missing/],
    [
      'with a warning at 100%',
      withEmergency({ warningPercents: [50, 100] }),
      '/emergency/warningPercents/1',
      /between 0 and 100/,
    ],
    [
      'with levels out of order',
      withEmergency({
        escalation: [
          { atPercent: 75, notify: ['a'] },
          { atPercent: 50, notify: ['b'] },
        ],
      }),
      '/emergency/escalation/1/atPercent',
      /above the previous one \(75\)/,
    ],
    [
      'with a level telling nobody',
      withEmergency({ escalation: [{ atPercent: 50, notify: [] }] }),
      '/emergency/escalation/0/notify',
      /./,
    ],
    ['telling nobody at opening', withEmergency({ atOpening: [] }), '/emergency/atOpening', /./],
    [
      'telling a level twice at opening',
      withEmergency({ atOpening: ['desk', 'desk'] }),
      '/emergency/atOpening',
      /duplicate|unique/i,
    ],
    [
      'telling a level that is no name at opening',
      withEmergency({ atOpening: ['Desk Manager'] }),
      '/emergency/atOpening/0',
      /kebab-case/,
    ],
    [
      'with an unknown field',
      withEmergency({ resolutionTarget: { amount: 4, unit: 'calendarHours' } }),
      '/emergency/resolutionTarget',
      /unexpected property/,
    ],
  ])('is refused %s, naming the path', (_, document, path, message) => {
    expect(issuesOf(document).find((issue) => issue.path === path)?.message).toMatch(message);
  });

  test('the presets as shipped are valid', () => {
    expect(issuesOf(valid)).toEqual([]);
  });
});
