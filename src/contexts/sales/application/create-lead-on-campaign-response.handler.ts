import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '../../../platform/events/domain-event.js';
import { OnDomainEvent } from '../../../platform/events/on-domain-event.decorator.js';
import { CAMPAIGN_RESPONSE_RECEIVED, type CampaignResponseReceived } from '../public/events.js';
import { LeadService } from './lead.service.js';
import { Tx } from '../../../platform/database/transaction.js';

/**
 * A campaign response becomes a lead (source `campaign`, assigned by the rules or left in the
 * pool). Idempotent: the lead remembers the event id (unique), so a redelivery creates nothing.
 */
@Injectable()
export class CreateLeadOnCampaignResponse {
  constructor(private readonly tx: Tx, private readonly leads: LeadService) {}

  @OnDomainEvent(CAMPAIGN_RESPONSE_RECEIVED, { consumer: 'sales.create-lead-on-campaign-response' })
  async handle(event: DomainEvent<CampaignResponseReceived>): Promise<void> {
    const [seen]: unknown[] = await this.tx.tx.query(`SELECT 1 FROM sales.lead WHERE source_event_id = $1`, [event.id]);
    if (seen) return;
    const p = event.payload;
    const lastName = p.lastName?.trim() || p.email?.trim() || p.company?.trim() || 'Unknown';
    await this.leads.create(null, {
      company: p.company ?? null,
      firstName: p.firstName ?? null,
      lastName: lastName.slice(0, 100),
      email: p.email ?? null,
      phone: p.phone ?? null,
      industry: p.industry ?? null,
      region: p.region ?? null,
      productInterest: p.productInterest ?? null,
      estimatedAmountMinor: p.estimatedAmountMinor ?? null,
      currency: p.currency ?? null,
      description: p.notes ?? null,
      source: 'campaign',
      campaignId: p.campaignId,
      sourceEventId: event.id,
    });
  }
}
