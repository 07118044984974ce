import { termsOf } from '../../domain/policy/terms';
import { presetRegistry } from '../../policies/registry';

describe("a contract's quote limit in the ticket's terms", () => {
  test("replaces the policy's limit where the policy has a quote gate", () => {
    expect(termsOf(presetRegistry.find('econnect')).quoteRequiredAboveMinutes).toBe(480);
    expect(termsOf(presetRegistry.find('econnect'), { quoteRequiredAboveMinutes: 120 }).quoteRequiredAboveMinutes).toBe(
      120,
    );
    expect(termsOf(presetRegistry.find('econnect-maintenance'), {}).quoteRequiredAboveMinutes).toBe(480);
  });

  test('never adds a gate to a policy without one', () => {
    expect(
      termsOf(presetRegistry.find('esker'), { quoteRequiredAboveMinutes: 120 }).quoteRequiredAboveMinutes,
    ).toBeUndefined();
  });
});

describe("a contract's people limit in the ticket's terms", () => {
  test("replaces the policy's count, on the services the policy names", () => {
    expect(termsOf(presetRegistry.find('care-solutions')).maxPeoplePerTicket).toEqual({
      people: 3,
      services: ['remote-assistance'],
    });
    expect(termsOf(presetRegistry.find('care-solutions'), { maxPeoplePerTicket: 2 }).maxPeoplePerTicket).toEqual({
      people: 2,
      services: ['remote-assistance'],
    });
  });

  test('never adds a limit to a policy without one', () => {
    expect(termsOf(presetRegistry.find('econnect'), { maxPeoplePerTicket: 2 }).maxPeoplePerTicket).toBeUndefined();
  });
});
