/**
 * Test-only owning context for the workflow tests (never part of the product): publishes
 * approval requests / withdrawals for a test subject and arbitrary events, and consumes the
 * approval results the way an owning context would.
 */
import { Injectable, Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Transactional } from '../../src/platform/database/transaction';
import type { DomainEvent } from '../../src/platform/events/domain-event';
import { EventPublisher } from '../../src/platform/events/event-publisher';
import { OnDomainEvent } from '../../src/platform/events/on-domain-event.decorator';
import type { ApprovalDecided, ApprovalRequested, ApprovalWithdrawn } from '../../src/contexts/workflow/public/approval-contract';

export const TEST_SUBJECT = 'test.quote';

@Injectable()
export class TestSubjects {
  constructor(private readonly events: EventPublisher) {}

  /** Publishes `test.quote.approval-requested` for a new subject; returns the subject id. */
  @Transactional()
  async requestApproval(input: Partial<ApprovalRequested> & { requesterId: string }): Promise<string> {
    const subjectId = input.subjectId ?? randomUUID();
    const payload: ApprovalRequested = {
      subjectType: TEST_SUBJECT,
      subjectId,
      subjectCode: `Q-${subjectId.slice(0, 6)}`,
      title: 'Quote for Acme',
      requesterOrgUnitId: null,
      amountMinor: 1_000_000,
      currency: 'EUR',
      attributes: {},
      ...input,
    };
    await this.events.publish({ type: `${payload.subjectType}.approval-requested`, aggregateType: payload.subjectType, aggregateId: subjectId, payload });
    return subjectId;
  }

  @Transactional()
  async withdraw(payload: ApprovalWithdrawn): Promise<void> {
    await this.events.publish({ type: `${payload.subjectType}.approval-withdrawn`, aggregateType: payload.subjectType, aggregateId: payload.subjectId, payload });
  }

  @Transactional()
  async publish(type: string, payload: Record<string, unknown>): Promise<DomainEvent> {
    return this.events.publish({ type, aggregateType: type.split('.').slice(0, 2).join('.'), aggregateId: randomUUID(), payload });
  }
}

/** Consumes the result events as the owning context would (filtered by subject type). */
@Injectable()
export class TestResultConsumer {
  readonly results: Array<DomainEvent<ApprovalDecided>> = [];

  @OnDomainEvent('workflow.approval.*', { consumer: 'test.approval-results' })
  async onResult(event: DomainEvent<ApprovalDecided>): Promise<void> {
    if (!['workflow.approval.approved', 'workflow.approval.rejected', 'workflow.approval.recalled'].includes(event.type)) return;
    if (event.payload.subjectType.startsWith('test.')) this.results.push(event);
  }
}

@Module({ providers: [TestSubjects, TestResultConsumer] })
export class WorkflowTestModule {}
