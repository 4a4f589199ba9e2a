import { DomainError } from '../../../platform/errors/domain-error.js';

export const SETTLEMENT_DIRECTIONS = ['employee-returns', 'company-pays'] as const;
export type SettlementDirection = (typeof SETTLEMENT_DIRECTIONS)[number];

export type StatementLineType = 'advance-paid' | 'reimbursement-approved' | 'settlement';

/** One fact of an employee's statement before reconciliation (amounts positive). */
export interface StatementFact {
  type: StatementLineType;
  /** Settlements only. */
  direction?: SettlementDirection;
  sourceId: string;
  code: string | null;
  costCentreId: string | null;
  date: string;
  description: string;
  amountMinor: number;
}

export interface StatementLine extends StatementFact {
  /** Effect on the balance: + the employee owes more, − the company owes more. */
  effectMinor: number;
  balanceAfterMinor: number;
}

export type ReconciliationOutcome = 'employee-returns' | 'company-pays' | 'settled';

export interface Reconciliation {
  advancesPaidMinor: number;
  reimbursementsApprovedMinor: number;
  returnedByEmployeeMinor: number;
  paidByCompanyMinor: number;
  /** Positive: the employee returns this; negative: the company pays the employee. */
  balanceMinor: number;
  outcome: ReconciliationOutcome;
  lines: StatementLine[];
}

/** The balance effect of one fact: advances put the employee in debt, reimbursements and settlements square it. */
export function effectOf(fact: Pick<StatementFact, 'type' | 'direction' | 'amountMinor'>): number {
  switch (fact.type) {
    case 'advance-paid':
      return fact.amountMinor;
    case 'reimbursement-approved':
      return -fact.amountMinor;
    case 'settlement':
      return fact.direction === 'employee-returns' ? -fact.amountMinor : fact.amountMinor;
  }
}

const ORDER: Record<StatementLineType, number> = { 'advance-paid': 0, 'reimbursement-approved': 1, settlement: 2 };

/**
 * "多退少补": advances paid minus approved reimbursements, adjusted by settlements already made,
 * with the statement in date order and a running balance.
 */
export function reconcile(facts: readonly StatementFact[]): Reconciliation {
  const sorted = [...facts].sort((a, b) => a.date.localeCompare(b.date) || ORDER[a.type] - ORDER[b.type] || a.sourceId.localeCompare(b.sourceId));
  let balance = 0;
  const totals = { advancesPaidMinor: 0, reimbursementsApprovedMinor: 0, returnedByEmployeeMinor: 0, paidByCompanyMinor: 0 };
  const lines = sorted.map((fact) => {
    const effectMinor = effectOf(fact);
    balance += effectMinor;
    if (fact.type === 'advance-paid') totals.advancesPaidMinor += fact.amountMinor;
    else if (fact.type === 'reimbursement-approved') totals.reimbursementsApprovedMinor += fact.amountMinor;
    else if (fact.direction === 'employee-returns') totals.returnedByEmployeeMinor += fact.amountMinor;
    else totals.paidByCompanyMinor += fact.amountMinor;
    return { ...fact, effectMinor, balanceAfterMinor: balance };
  });
  return { ...totals, balanceMinor: balance, outcome: balance > 0 ? 'employee-returns' : balance < 0 ? 'company-pays' : 'settled', lines };
}

/** A settlement must go the way the balance points and not exceed it. */
export function assertSettlement(balanceMinor: number, direction: SettlementDirection, amountMinor: number): void {
  if (balanceMinor === 0) {
    throw new DomainError('rule-violated', 'finance.reconciliation.nothing-to-settle', 'The balance is zero: there is nothing to settle', { balanceMinor });
  }
  const expected: SettlementDirection = balanceMinor > 0 ? 'employee-returns' : 'company-pays';
  if (direction !== expected) {
    throw new DomainError('rule-violated', 'finance.reconciliation.wrong-direction', `The balance is ${balanceMinor}: the settlement must be "${expected}"`, {
      balanceMinor,
      expectedDirection: expected,
    });
  }
  if (amountMinor > Math.abs(balanceMinor)) {
    throw new DomainError('rule-violated', 'finance.reconciliation.settlement-exceeds-balance', `The settlement (${amountMinor}) exceeds the outstanding balance (${Math.abs(balanceMinor)})`, {
      balanceMinor,
    });
  }
}
