import { Injectable, Logger } from '@nestjs/common';
import { isUuid } from '../../../platform/database/ids.js';
import { Tx } from '../../../platform/database/transaction.js';
import type { DomainEvent } from '../../../platform/events/domain-event.js';
import { OnDomainEvent } from '../../../platform/events/on-domain-event.decorator.js';
import { Account } from '../domain/account.entity.js';
import { AUTOMATION_OPPORTUNITY_REQUESTED, type AutomationOpportunityRequested } from '../public/events.js';
import { OpportunityService } from './opportunity.service.js';

/**
 * A workflow automation asked for an opportunity: created on the default sales method, closing
 * in 90 days, owned by `ownerId` or the account's owner. Idempotent on the event id. A malformed
 * request or an unknown account is logged and skipped (retrying would not make it valid).
 */
@Injectable()
export class CreateOpportunityOnAutomationRequest {
  private readonly logger = new Logger(CreateOpportunityOnAutomationRequest.name);

  constructor(private readonly tx: Tx, private readonly opportunities: OpportunityService) {}

  @OnDomainEvent(AUTOMATION_OPPORTUNITY_REQUESTED, { consumer: 'sales.create-opportunity-on-automation-request' })
  async handle(event: DomainEvent<AutomationOpportunityRequested>): Promise<void> {
    const [seen]: unknown[] = await this.tx.tx.query(`SELECT 1 FROM sales.opportunity WHERE source_event_id = $1`, [event.id]);
    if (seen) return;
    const p = event.payload;
    const problem = invalidRequest(p);
    if (problem) {
      this.logger.warn(`Automation ${event.id} asked for an opportunity with ${problem}; skipped`);
      return;
    }
    const account = await this.tx.tx.getRepository(Account).findOneBy({ id: p.accountId });
    if (!account) {
      this.logger.warn(`Automation ${event.id} asked for an opportunity on unknown account ${p.accountId}; skipped`);
      return;
    }
    const closeDate = new Date(new Date(event.occurredAt).getTime() + 90 * 86_400_000).toISOString().slice(0, 10);
    await this.opportunities.create(null, {
      name: p.name,
      accountId: p.accountId,
      amountMinor: p.amountMinor,
      currency: p.currency,
      closeDate,
      ownerId: p.ownerId ?? account.ownerId,
      source: 'automation',
      sourceEventId: event.id,
    });
  }
}

/** What is wrong with a request from another context, or null. */
function invalidRequest(p: Partial<AutomationOpportunityRequested>): string | null {
  if (!isUuid(p.accountId)) return 'no valid accountId';
  if (typeof p.name !== 'string' || !p.name.trim() || p.name.length > 200) return 'no valid name';
  if (!Number.isSafeInteger(p.amountMinor) || (p.amountMinor as number) < 0) return 'no valid amountMinor';
  if (typeof p.currency !== 'string' || !/^[A-Z]{3}$/.test(p.currency)) return 'no valid currency';
  if (p.ownerId != null && !isUuid(p.ownerId)) return 'an invalid ownerId';
  return null;
}
