import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '../../../platform/events/domain-event.js';
import { OnDomainEvent } from '../../../platform/events/on-domain-event.decorator.js';
import type { ApprovalRequested, ApprovalWithdrawn } from '../public/approval-contract.js';
import { ApprovalEngine } from './approval-engine.service.js';

/** Starts an approval for every `<ctx>.<subject>.approval-requested`. */
@Injectable()
export class StartApprovalOnRequested {
  constructor(private readonly engine: ApprovalEngine) {}

  @OnDomainEvent('*.*.approval-requested', { consumer: 'workflow.start-approval' })
  async handle(event: DomainEvent<ApprovalRequested>): Promise<void> {
    await this.engine.start(event);
  }
}

/** Closes the running approval as recalled on `<ctx>.<subject>.approval-withdrawn`. */
@Injectable()
export class RecallApprovalOnWithdrawn {
  constructor(private readonly engine: ApprovalEngine) {}

  @OnDomainEvent('*.*.approval-withdrawn', { consumer: 'workflow.withdraw-approval' })
  async handle(event: DomainEvent<ApprovalWithdrawn>): Promise<void> {
    await this.engine.withdraw(event);
  }
}
