import { assertClaimEditable, assertClaimTransition, claimCategories, claimSourcesOf, claimTotal, EXPENSE_CLAIM_STATUSES } from './expense-claim.rules';

describe('expense claim transitions', () => {
  it.each([
    ['draft', 'submitted'],
    ['submitted', 'approved'],
    ['submitted', 'rejected'],
    ['submitted', 'recalled'],
    ['approved', 'posted'],
    ['recalled', 'submitted'],
  ] as const)('allows %s → %s', (from, to) => expect(() => assertClaimTransition(from, to)).not.toThrow());

  it.each([
    ['draft', 'approved'],
    ['posted', 'recalled'],
    ['rejected', 'submitted'],
    ['submitted', 'submitted'],
    ['draft', 'recalled'],
  ] as const)('refuses %s → %s with 409', (from, to) =>
    expect(() => assertClaimTransition(from, to)).toThrow(expect.objectContaining({ status: 409, code: 'finance.expense-claim.illegal-transition' })));

  it('lists the states that lead to a state', () => {
    expect(claimSourcesOf('submitted').sort()).toEqual(['draft', 'recalled']);
    expect(claimSourcesOf('posted')).toEqual(['approved']);
  });

  it('lets only draft and recalled claims be edited; pending ones answer 409 pending-approval', () => {
    expect(() => assertClaimEditable('draft')).not.toThrow();
    expect(() => assertClaimEditable('recalled')).not.toThrow();
    expect(() => assertClaimEditable('submitted')).toThrow(expect.objectContaining({ status: 409, code: 'finance.expense-claim.pending-approval' }));
    for (const s of EXPENSE_CLAIM_STATUSES.filter((x) => !['draft', 'recalled', 'submitted'].includes(x))) {
      expect(() => assertClaimEditable(s)).toThrow(expect.objectContaining({ code: 'finance.expense-claim.read-only' }));
    }
  });
});

describe('claim totals', () => {
  const line = (amountMinor: number, category = 'travel') => ({ category, date: '2026-03-01', amountMinor });
  it('adds the lines', () => expect(claimTotal([line(1_000), line(250)])).toBe(1_250));
  it('refuses a claim without lines', () => expect(() => claimTotal([])).toThrow(expect.objectContaining({ status: 422 })));
  it('refuses an unsafe total', () => expect(() => claimTotal([line(Number.MAX_SAFE_INTEGER), line(2)])).toThrow(expect.objectContaining({ code: 'finance.expense-claim.total-too-large' })));
  it('lists distinct categories', () => expect(claimCategories([line(1, 'meals'), line(1, 'travel'), line(1, 'meals')])).toEqual(['meals', 'travel']));
});
