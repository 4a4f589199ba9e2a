import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '../../../platform/events/domain-event.js';
import { OnDomainEvent } from '../../../platform/events/on-domain-event.decorator.js';
import { AutomationService } from './automation.service.js';

/** Every published event is offered to the automation rules of its type (once per event: inbox + execution row). */
@Injectable()
export class RunAutomationRulesOnEvent {
  constructor(private readonly automation: AutomationService) {}

  @OnDomainEvent('*.*.*', { consumer: 'workflow.automation-rules' })
  async handle(event: DomainEvent): Promise<void> {
    await this.automation.onEvent(event);
  }
}
