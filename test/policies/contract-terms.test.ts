import { termsOf } from '../../domain/policy/terms';
import { presetRegistry } from '../../policies/registry';

describe("a contract's quote limit in the ticket's terms", () => {
  test("replaces the policy's limit where the policy has a quote gate", () => {
    expect(termsOf(presetRegistry.find('econnect')).quoteRequiredAboveMinutes).toBe(480);
    expect(termsOf(presetRegistry.find('econnect'), { quoteRequiredAboveMinutes: 120 }).quoteRequiredAboveMinutes).toBe(120);
    expect(termsOf(presetRegistry.find('econnect-maintenance'), {}).quoteRequiredAboveMinutes).toBe(480);
  });

  test('never adds a gate to a policy without one', () => {
    expect(termsOf(presetRegistry.find('esker'), { quoteRequiredAboveMinutes: 120 }).quoteRequiredAboveMinutes).toBeUndefined();
  });
});
