import { Injectable } from '@nestjs/common';
import { OnTimer, type DueTimer } from '../../../platform/scheduling/timers.js';
import { LEAD_POOL_RETURN, LeadService } from './lead.service.js';

/** Returns an owned lead to the pool after N days without activity (durable timer per lead). */
@Injectable()
export class LeadPoolReturnJob {
  constructor(private readonly leads: LeadService) {}

  @OnTimer(LEAD_POOL_RETURN)
  async returnIdleLead(timer: DueTimer): Promise<void> {
    await this.leads.returnIfIdle(timer.key);
  }
}
