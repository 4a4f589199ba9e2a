import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '../../../platform/events/domain-event.js';
import { OnDomainEvent } from '../../../platform/events/on-domain-event.decorator.js';
import { AUTOMATION_CONSUMER, AutomationService } from './automation.service.js';

/** Events of the types automation rules name are offered to those rules (once per event: inbox + execution row). */
@Injectable()
export class RunAutomationRulesOnEvent {
  constructor(private readonly automation: AutomationService) {}

  // Only the event types some rule names are delivered (`interest: 'declared'`, see AutomationService).
  @OnDomainEvent('*.*.*', { consumer: AUTOMATION_CONSUMER, interest: 'declared' })
  async handle(event: DomainEvent): Promise<void> {
    await this.automation.onEvent(event);
  }
}
