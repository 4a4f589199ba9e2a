import { assertSettlement, reconcile, type StatementFact } from './reconciliation.rules';

const fact = (type: StatementFact['type'], amountMinor: number, date: string, extra: Partial<StatementFact> = {}): StatementFact => ({
  type, amountMinor, date, sourceId: `${type}-${date}-${amountMinor}`, code: null, costCentreId: 'cc', description: type, ...extra,
});

describe('personal reconciliation', () => {
  it('advance 5,000, reimbursements 3,200 → the employee returns 1,800', () => {
    const r = reconcile([
      fact('reimbursement-approved', 2_000, '2026-03-05'),
      fact('advance-paid', 5_000, '2026-03-01'),
      fact('reimbursement-approved', 1_200, '2026-03-09'),
    ]);
    expect(r).toMatchObject({ advancesPaidMinor: 5_000, reimbursementsApprovedMinor: 3_200, balanceMinor: 1_800, outcome: 'employee-returns' });
    expect(r.lines.map((l) => [l.type, l.effectMinor, l.balanceAfterMinor])).toEqual([
      ['advance-paid', 5_000, 5_000],
      ['reimbursement-approved', -2_000, 3_000],
      ['reimbursement-approved', -1_200, 1_800],
    ]);
  });

  it('reimbursements above the advance → the company pays the difference', () => {
    const r = reconcile([fact('advance-paid', 1_000, '2026-03-01'), fact('reimbursement-approved', 1_500, '2026-03-02')]);
    expect(r).toMatchObject({ balanceMinor: -500, outcome: 'company-pays' });
  });

  it('settlements square the balance', () => {
    const r = reconcile([
      fact('advance-paid', 5_000, '2026-03-01'),
      fact('reimbursement-approved', 3_200, '2026-03-02'),
      fact('settlement', 1_800, '2026-03-03', { direction: 'employee-returns' }),
    ]);
    expect(r).toMatchObject({ balanceMinor: 0, outcome: 'settled', returnedByEmployeeMinor: 1_800 });
  });

  it('is empty and settled with no facts', () => expect(reconcile([])).toMatchObject({ balanceMinor: 0, outcome: 'settled', lines: [] }));
});

describe('settlements', () => {
  it('accepts a settlement in the balance direction up to the balance', () => {
    expect(() => assertSettlement(1_800, 'employee-returns', 1_800)).not.toThrow();
    expect(() => assertSettlement(-500, 'company-pays', 200)).not.toThrow();
  });
  it('refuses the wrong direction, an excess and a zero balance with 422', () => {
    expect(() => assertSettlement(1_800, 'company-pays', 10)).toThrow(expect.objectContaining({ status: 422, code: 'finance.reconciliation.wrong-direction' }));
    expect(() => assertSettlement(1_800, 'employee-returns', 1_801)).toThrow(expect.objectContaining({ code: 'finance.reconciliation.settlement-exceeds-balance' }));
    expect(() => assertSettlement(0, 'employee-returns', 1)).toThrow(expect.objectContaining({ code: 'finance.reconciliation.nothing-to-settle' }));
  });
});
