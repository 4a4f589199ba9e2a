import { Injectable } from '@nestjs/common';
import { isUuid } from '../../../platform/database/ids.js';
import type { DomainEvent } from '../../../platform/events/domain-event.js';
import { OnDomainEvent } from '../../../platform/events/on-domain-event.decorator.js';
import { APPROVAL_RESULT_EVENTS, type ApprovalDecided, type ApprovalStarted } from '../../workflow/public/approval-contract.js';
import type { ApprovalStepStarted } from '../../workflow/public/events.js';
import { ADVANCE_SUBJECT, EXPENSE_CLAIM_SUBJECT } from '../public/events.js';
import { AdvanceService } from './advance.service.js';
import { ExpenseClaimService } from './expense-claim.service.js';

const RESULTS = new Set<string>(Object.values(APPROVAL_RESULT_EVENTS));
const STEP_STARTED = 'workflow.approval.step-started';
/** `workflow.approval.{started,step-started,approved,rejected,recalled}`. */
const STARTED_AND_RESULTS = `workflow.approval.{${['started', 'step-started', ...[...RESULTS].map((type) => type.split('.')[2])].join(',')}}`;

/**
 * The Finance side of the approval protocol: Workflow's `workflow.approval.started` and result
 * events for Finance subjects (expense claims, advances) move them on. Other subject types are
 * ignored. One consumer for all these types, so a claim sees `started` before its result; the
 * other `workflow.approval.*` events (escalated, …) are not delivered here at all.
 *
 * For advances it also records who took part in the approval, so they cannot pay it out: the
 * user whose decision closed it (`decidedBy`), and the actor of each `step-started` — the user
 * whose decision closed the previous step (or, for the first step, who submitted the advance).
 * Workflow publishes nothing for a decision that does not close a step (an `all` step's earlier
 * approvals), so those approvers are not known here.
 */
@Injectable()
export class OnApprovalOutcome {
  constructor(private readonly claims: ExpenseClaimService, private readonly advances: AdvanceService) {}

  @OnDomainEvent(STARTED_AND_RESULTS, { consumer: 'finance.on-approval-outcome' })
  async handle(event: DomainEvent<ApprovalStarted | ApprovalDecided | ApprovalStepStarted>): Promise<void> {
    const { subjectType, subjectId } = event.payload;
    if (subjectType !== EXPENSE_CLAIM_SUBJECT && subjectType !== ADVANCE_SUBJECT) return;
    const target = subjectType === EXPENSE_CLAIM_SUBJECT ? this.claims : this.advances;
    if (event.type === STEP_STARTED) {
      if (subjectType === ADVANCE_SUBJECT && event.actorId && isUuid(event.actorId)) await this.advances.recordApprover(subjectId, event.actorId);
    } else if (event.type === 'workflow.approval.started') {
      await target.onApprovalStarted(subjectId, (event.payload as ApprovalStarted).approvalId);
    } else if (RESULTS.has(event.type)) {
      await target.onApprovalDecided(event.payload as ApprovalDecided);
    }
  }
}
