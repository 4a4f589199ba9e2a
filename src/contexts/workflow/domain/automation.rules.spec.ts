import { buildCommandPayload, isAutomationOutput, validateAutomationAction } from './automation.rules';

describe('automation actions', () => {
  const opportunity = {
    type: 'command',
    command: 'opportunity-requested',
    payload: {
      accountId: { field: 'accountId' },
      name: { value: 'Large transaction follow-up' },
      amountMinor: { field: 'amountMinor' },
      currency: { field: 'currency' },
      ownerId: { field: 'account.ownerId' },
    },
  };

  it('accepts the three action types', () => {
    expect(validateAutomationAction(opportunity)).toEqual([]);
    expect(validateAutomationAction({ type: 'create-task', title: 'Call them', assignee: { type: 'owner', field: 'ownerId' }, dueIn: 'P1D' })).toEqual([]);
    expect(validateAutomationAction({ type: 'notify', recipients: { type: 'role', roleKey: 'sales-manager' }, message: 'Big deal' })).toEqual([]);
  });

  it('lists problems with paths', () => {
    expect(validateAutomationAction({ type: 'explode' })).toEqual([{ field: 'action.type', message: expect.any(String) }]);
    const errors = validateAutomationAction({ type: 'command', command: 'Opportunity', payload: { accountId: { field: 'a' }, bad: { eval: 'x' } } });
    expect(errors.map((e) => e.field)).toEqual(['action.command', 'action.payload.bad']);
    const missing = validateAutomationAction({ type: 'command', command: 'opportunity-requested', payload: { accountId: { field: 'a' } } });
    expect(missing.map((e) => e.field)).toEqual(['action.payload.name', 'action.payload.amountMinor', 'action.payload.currency', 'action.payload.ownerId']);
    expect(validateAutomationAction({ type: 'create-task', title: '', assignee: { type: 'user', userId: 'x' }, dueIn: 'soon' }).map((e) => e.field)).toEqual([
      'action.title',
      'action.assignee.userId',
      'action.dueIn',
    ]);
  });

  it('builds the command payload from the event', () => {
    const payload = buildCommandPayload(opportunity.payload as never, { accountId: 'acc', amountMinor: 1_500_000, currency: 'EUR', account: { ownerId: 'u1' } }, 'evt-1');
    expect(payload).toEqual({ accountId: 'acc', name: 'Large transaction follow-up', amountMinor: 1_500_000, currency: 'EUR', ownerId: 'u1', sourceEventId: 'evt-1' });
  });

  it('ignores its own output events', () => {
    expect(isAutomationOutput('workflow.automation.opportunity-requested')).toBe(true);
    expect(isAutomationOutput('finance.transaction.recorded')).toBe(false);
  });
});
