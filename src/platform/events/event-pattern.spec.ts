import { EVENT_TYPE, backoffMs, matchesPattern } from './event-pattern';

describe('matchesPattern', () => {
  it.each([
    ['sales.opportunity.won', 'sales.opportunity.won', true],
    ['sales.opportunity.won', 'sales.opportunity.lost', false],
    ['sales.opportunity.*', 'sales.opportunity.won', true],
    ['sales.opportunity.*', 'sales.lead.won', false],
    ['*.*.approval-requested', 'finance.expense-claim.approval-requested', true],
    ['*.*.approval-requested', 'finance.expense-claim.submitted', false],
    ['sales.**', 'sales.opportunity.won', true],
    ['sales.**', 'finance.opportunity.won', false],
    ['**', 'a.b.c', true],
    ['sales.*', 'sales.opportunity.won', false],
    ['workflow.approval.{approved,rejected}', 'workflow.approval.rejected', true],
    ['workflow.approval.{approved,rejected}', 'workflow.approval.escalated', false],
    ['workflow.{approval}.approved', 'workflow.approval.approved', true],
  ])('%s vs %s → %s', (pattern, type, expected) => {
    expect(matchesPattern(pattern, type)).toBe(expected);
  });
});

describe('EVENT_TYPE', () => {
  it('accepts <context>.<aggregate>.<past-tense> and refuses other shapes', () => {
    expect(EVENT_TYPE.test('finance.expense-claim.submitted')).toBe(true);
    expect(EVENT_TYPE.test('sales.opportunity')).toBe(false);
    expect(EVENT_TYPE.test('Sales.Opportunity.Won')).toBe(false);
    expect(EVENT_TYPE.test('sales.opportunity.won.twice')).toBe(false);
  });
});

describe('backoffMs', () => {
  it('doubles per attempt from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(a, 1000, 10_000))).toEqual([1000, 2000, 4000, 8000, 10_000]);
  });
});
