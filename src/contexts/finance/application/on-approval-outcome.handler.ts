import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '../../../platform/events/domain-event.js';
import { OnDomainEvent } from '../../../platform/events/on-domain-event.decorator.js';
import { APPROVAL_RESULT_EVENTS, type ApprovalDecided, type ApprovalStarted } from '../../workflow/public/approval-contract.js';
import { ADVANCE_SUBJECT, EXPENSE_CLAIM_SUBJECT } from '../public/events.js';
import { AdvanceService } from './advance.service.js';
import { ExpenseClaimService } from './expense-claim.service.js';

const RESULTS = new Set<string>(Object.values(APPROVAL_RESULT_EVENTS));
/** `workflow.approval.{started,approved,rejected,recalled}`. */
const STARTED_AND_RESULTS = `workflow.approval.{${['started', ...[...RESULTS].map((type) => type.split('.')[2])].join(',')}}`;

/**
 * The Finance side of the approval protocol: Workflow's `workflow.approval.started` and result
 * events for Finance subjects (expense claims, advances) move them on. Other subject types are
 * ignored. One consumer for all four types, so a claim sees `started` before its result; the
 * other `workflow.approval.*` events (step-started, escalated, …) are not delivered here at all.
 */
@Injectable()
export class OnApprovalOutcome {
  constructor(private readonly claims: ExpenseClaimService, private readonly advances: AdvanceService) {}

  @OnDomainEvent(STARTED_AND_RESULTS, { consumer: 'finance.on-approval-outcome' })
  async handle(event: DomainEvent<ApprovalStarted | ApprovalDecided>): Promise<void> {
    const { subjectType, subjectId } = event.payload;
    if (subjectType !== EXPENSE_CLAIM_SUBJECT && subjectType !== ADVANCE_SUBJECT) return;
    const target = subjectType === EXPENSE_CLAIM_SUBJECT ? this.claims : this.advances;
    if (event.type === 'workflow.approval.started') {
      await target.onApprovalStarted(subjectId, event.payload.approvalId);
    } else if (RESULTS.has(event.type)) {
      await target.onApprovalDecided(event.payload as ApprovalDecided);
    }
  }
}
