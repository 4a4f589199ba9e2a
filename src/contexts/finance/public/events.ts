/**
 * Events the Finance context publishes: the only part of Finance other contexts may import.
 * Amounts are minor units with their currency. The approval protocol events
 * (`*.approval-requested`, `*.approval-withdrawn`) carry the payloads of
 * contexts/workflow/public/approval-contract.ts.
 */
import type { EventDeclaration } from '../../../platform/events/domain-event.js';
import type { ApprovalRequested, ApprovalWithdrawn } from '../../workflow/public/approval-contract.js';

export const EXPENSE_CLAIM_SUBJECT = 'finance.expense-claim';
export const ADVANCE_SUBJECT = 'finance.advance';

export interface CostCentreOpened {
  costCentreId: string;
  code: string;
  name: string;
  subjectType: string;
  subjectId: string | null;
  ownerId: string | null;
  currency: string;
  capMinor: number;
  warningLineMinor: number;
  openedBy: 'manual' | 'event';
}

/** Figures of a centre at the moment a threshold was crossed. */
export interface CostCentreThresholdReached {
  costCentreId: string;
  code: string;
  name: string;
  ownerId: string | null;
  currency: string;
  capMinor: number;
  warningLineMinor: number;
  spentMinor: number;
  reservedMinor: number;
  availableMinor: number;
}

export interface CostCentreCapChanged {
  costCentreId: string;
  code: string;
  ownerId: string | null;
  currency: string;
  previousCapMinor: number;
  capMinor: number;
  previousWarningLineMinor: number;
  warningLineMinor: number;
}

export interface CostCentreClosed {
  costCentreId: string;
  code: string;
  ownerId: string | null;
}

export interface ExpenseClaimEvent {
  claimId: string;
  code: string;
  kind: 'request' | 'reimbursement';
  costCentreId: string;
  ownerId: string;
  currency: string;
  totalMinor: number;
  status: string;
  /** Approval outcomes: who decided (null when automatic) and the comment. */
  decidedBy?: string | null;
  comment?: string | null;
}

export interface AdvanceEvent {
  advanceId: string;
  code: string;
  costCentreId: string;
  ownerId: string;
  currency: string;
  amountMinor: number;
  status: string;
  decidedBy?: string | null;
  comment?: string | null;
  paidBy?: string | null;
}

export interface IncomeRecorded {
  incomeId: string;
  code: string;
  costCentreId: string;
  amountMinor: number;
  currency: string;
  receivedOn: string;
}

export interface SettlementRecorded {
  settlementId: string;
  userId: string;
  costCentreId: string | null;
  currency: string;
  direction: 'employee-returns' | 'company-pays';
  amountMinor: number;
}

export interface FinanceEvents {
  'finance.cost-centre.opened': CostCentreOpened;
  'finance.cost-centre.warning-line-reached': CostCentreThresholdReached;
  'finance.cost-centre.exhausted': CostCentreThresholdReached;
  'finance.cost-centre.cap-changed': CostCentreCapChanged;
  'finance.cost-centre.closed': CostCentreClosed;
  'finance.expense-claim.submitted': ExpenseClaimEvent;
  'finance.expense-claim.approval-requested': ApprovalRequested;
  'finance.expense-claim.approval-withdrawn': ApprovalWithdrawn;
  'finance.expense-claim.approved': ExpenseClaimEvent;
  'finance.expense-claim.posted': ExpenseClaimEvent;
  'finance.expense-claim.rejected': ExpenseClaimEvent;
  'finance.expense-claim.recalled': ExpenseClaimEvent;
  'finance.advance.submitted': AdvanceEvent;
  'finance.advance.approval-requested': ApprovalRequested;
  'finance.advance.approval-withdrawn': ApprovalWithdrawn;
  'finance.advance.approved': AdvanceEvent;
  'finance.advance.rejected': AdvanceEvent;
  'finance.advance.recalled': AdvanceEvent;
  'finance.advance.paid': AdvanceEvent;
  'finance.income.recorded': IncomeRecorded;
  'finance.settlement.recorded': SettlementRecorded;
}

const CENTRE = { costCentreId: 'uuid — the cost centre', code: 'string — e.g. CC-2026-000001', ownerId: 'uuid|null — the owner' };
const FIGURES = {
  ...CENTRE,
  name: 'string',
  currency: 'ISO 4217',
  capMinor: 'integer — cap',
  warningLineMinor: 'integer — warning line',
  spentMinor: 'integer — posted spending',
  reservedMinor: 'integer — reserved by pending claims/advances',
  availableMinor: 'integer — cap − spent − reserved',
};
const CLAIM = {
  claimId: 'uuid — the expense claim',
  code: 'string — e.g. EXP-2026-000123',
  kind: 'request | reimbursement',
  costCentreId: 'uuid',
  ownerId: 'uuid — the claimant',
  currency: 'ISO 4217',
  totalMinor: 'integer — total of the lines',
  status: 'string — the claim status after the change',
};
const ADVANCE = {
  advanceId: 'uuid — the advance',
  code: 'string — e.g. ADV-2026-000007',
  costCentreId: 'uuid',
  ownerId: 'uuid — the employee',
  currency: 'ISO 4217',
  amountMinor: 'integer',
  status: 'string — the advance status after the change',
};
const DECISION = { decidedBy: 'uuid|null — approver (null when automatic)', comment: 'string|null' };
const APPROVAL_REQUESTED = {
  subjectType: 'finance.expense-claim | finance.advance',
  subjectId: 'uuid',
  subjectCode: 'string',
  title: 'string',
  requesterId: 'uuid',
  requesterOrgUnitId: 'uuid|null',
  amountMinor: 'integer',
  currency: 'ISO 4217',
  attributes: 'object — kind, category, categories, costCentreId, costCentreCode',
};
const APPROVAL_WITHDRAWN = { subjectType: 'string', subjectId: 'uuid', requesterId: 'uuid', reason: 'string?' };

export const FINANCE_EVENT_CATALOG: EventDeclaration[] = [
  {
    type: 'finance.cost-centre.opened',
    description: 'A cost centre was opened, by hand or on a subject created in another context.',
    payload: { ...CENTRE, name: 'string', subjectType: 'string', subjectId: 'uuid|null', currency: 'ISO 4217', capMinor: 'integer', warningLineMinor: 'integer', openedBy: 'manual | event' },
  },
  { type: 'finance.cost-centre.warning-line-reached', description: 'Spending (spent + reserved) crossed the warning line upwards; once per crossing.', payload: FIGURES },
  { type: 'finance.cost-centre.exhausted', description: 'Spending reached the cap; once per crossing.', payload: FIGURES },
  {
    type: 'finance.cost-centre.cap-changed',
    description: 'The cap or warning line was changed (needs finance.cost-centre:change-cap for the cap).',
    payload: { ...CENTRE, currency: 'ISO 4217', previousCapMinor: 'integer', capMinor: 'integer', previousWarningLineMinor: 'integer', warningLineMinor: 'integer' },
  },
  { type: 'finance.cost-centre.closed', description: 'The centre was closed: no new reservations or incomes.', payload: CENTRE },
  { type: 'finance.expense-claim.submitted', description: 'A claim was submitted and its total reserved on the cost centre.', payload: CLAIM },
  { type: 'finance.expense-claim.approval-requested', description: 'Approval protocol: Workflow should run the expense approval.', payload: APPROVAL_REQUESTED },
  { type: 'finance.expense-claim.approval-withdrawn', description: 'Approval protocol: the claimant recalled the claim through Finance.', payload: APPROVAL_WITHDRAWN },
  { type: 'finance.expense-claim.approved', description: 'The claim was approved (it is posted in the same transaction).', payload: { ...CLAIM, ...DECISION } },
  { type: 'finance.expense-claim.posted', description: 'The reservation became spending on the cost centre.', payload: CLAIM },
  { type: 'finance.expense-claim.rejected', description: 'The claim was rejected; its reservation was released.', payload: { ...CLAIM, ...DECISION } },
  { type: 'finance.expense-claim.recalled', description: 'The claim was recalled; its reservation was released.', payload: CLAIM },
  { type: 'finance.advance.submitted', description: 'An advance was requested and its amount reserved.', payload: ADVANCE },
  { type: 'finance.advance.approval-requested', description: 'Approval protocol: Workflow should run the advance approval.', payload: APPROVAL_REQUESTED },
  { type: 'finance.advance.approval-withdrawn', description: 'Approval protocol: the employee recalled the advance through Finance.', payload: APPROVAL_WITHDRAWN },
  { type: 'finance.advance.approved', description: 'The advance was approved; the amount stays reserved until paid.', payload: { ...ADVANCE, ...DECISION } },
  { type: 'finance.advance.rejected', description: 'The advance was rejected; the reservation was released.', payload: { ...ADVANCE, ...DECISION } },
  { type: 'finance.advance.recalled', description: 'The advance was recalled; the reservation was released.', payload: ADVANCE },
  { type: 'finance.advance.paid', description: 'Finance paid the advance out; the reservation became spending.', payload: { ...ADVANCE, paidBy: 'uuid' } },
  {
    type: 'finance.income.recorded',
    description: 'Money received against a cost centre.',
    payload: { incomeId: 'uuid', code: 'string', costCentreId: 'uuid', amountMinor: 'integer', currency: 'ISO 4217', receivedOn: 'date' },
  },
  {
    type: 'finance.settlement.recorded',
    description: 'An employee reconciliation was settled (money returned or paid out).',
    payload: { settlementId: 'uuid', userId: 'uuid', costCentreId: 'uuid|null', currency: 'ISO 4217', direction: 'employee-returns | company-pays', amountMinor: 'integer' },
  },
];
