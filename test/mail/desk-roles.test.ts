import { AccountError } from '../../messages/accounts';
import { coveredEscalationContacts, deskAddresses, DeskRolesError, parseDeskRoles } from '../../mail/desk-roles';
import { findPolicy } from '../../policies/registry';
import { resolveRecipients } from '../../activities/escalation-contacts';

const econnect = findPolicy('econnect', 1);

describe('the desk addresses per escalation level (VIGIL_DESK_ROLES)', () => {
  it('reads roles, several addresses each, and a catch-all', () => {
    const roles = parseDeskRoles(' desk = support@desk.lu ; desk-manager=anne@desk.lu, marc@desk.lu;*=all@desk.lu');
    expect(deskAddresses(roles, 'desk')).toEqual(['support@desk.lu']);
    expect(deskAddresses(roles, 'desk-manager')).toEqual(['anne@desk.lu', 'marc@desk.lu']);
    expect(deskAddresses(roles, 'emergency-escalation')).toEqual(['all@desk.lu']);
    expect(deskAddresses(parseDeskRoles(undefined), 'desk')).toEqual([]);
  });

  it.each([['desk=marc'], ['desk='], ['Desk Manager=a@b.lu'], ['desk=a@b.lu\r\nBcc: eve@evil.test']])(
    'refuses %j, naming the role',
    (value) => {
      expect(() => parseDeskRoles(value)).toThrow(DeskRolesError);
    },
  );

  it('refuses a contract that leaves a level of its policy with nobody to tell, naming escalationContacts and the level', () => {
    const refusal = (() => {
      try {
        coveredEscalationContacts([], [econnect], parseDeskRoles('desk=support@desk.lu'));
      } catch (error) {
        return error as AccountError;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(AccountError);
    expect(refusal?.field).toBe('escalationContacts');
    expect(refusal?.message).toContain('"emergency-escalation"');
  });

  it('accepts it when the contract or the desk names somebody for each level', () => {
    const contacts = [{ level: 'emergency-escalation', name: 'Jo', email: 'jo@acme.lu' }];
    expect(coveredEscalationContacts(contacts, [econnect], parseDeskRoles('desk=support@desk.lu'))).toBe(contacts);
    expect(coveredEscalationContacts([], [econnect], parseDeskRoles('*=support@desk.lu'))).toEqual([]);
  });
});

describe('the recipients of a threshold notice', () => {
  const roles = parseDeskRoles('desk=support@desk.lu;desk-manager=anne@desk.lu');

  it("the contract's contacts first, then the assignee for desk when it is an address, then the desk's own", () => {
    const byLevel = new Map([['emergency-escalation', ['jo@acme.lu']]]);
    expect(resolveRecipients({ notify: ['desk', 'emergency-escalation'] }, byLevel, roles)).toEqual({
      addresses: ['support@desk.lu', 'jo@acme.lu'],
      unresolved: [],
    });
    expect(resolveRecipients({ notify: ['desk'], assignee: 'marc@desk.lu' }, byLevel, roles).addresses).toEqual([
      'marc@desk.lu',
    ]);
    // An agent's name is no address: the desk's addresses are used.
    expect(resolveRecipients({ notify: ['desk'], assignee: 'marc' }, byLevel, roles).addresses).toEqual([
      'support@desk.lu',
    ]);
  });

  it('returns a level nobody answers for apart, to be queued as failed rather than lost', () => {
    expect(resolveRecipients({ notify: ['customer-service-manager', 'desk-manager'] }, new Map(), roles)).toEqual({
      addresses: ['anne@desk.lu'],
      unresolved: ['customer-service-manager'],
    });
  });
});
