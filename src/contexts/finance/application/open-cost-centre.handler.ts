import { Injectable, Logger } from '@nestjs/common';
import { isUuid } from '../../../platform/database/ids.js';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import type { DomainEvent } from '../../../platform/events/domain-event.js';
import { OnDomainEvent } from '../../../platform/events/on-domain-event.decorator.js';
import { CostCentre } from '../domain/cost-centre.entity.js';
import { warningLineFor } from '../domain/cost-centre.rules.js';
import { CURRENCY_PATTERN } from '../domain/money.js';
import { AUTO_OPEN_SUBJECTS, type AcceptedSubjectCreated } from '../public/accepted-events.js';
import { AutoOpenRuleService } from './auto-open-rule.service.js';
import { CostCentreService } from './cost-centre.service.js';

const LABELS: Record<string, string> = { 'sales.opportunity': 'Opportunity', 'marketing.campaign': 'Campaign', 'service.project': 'Project' };

/**
 * Opens a cost centre when a sale (optional: the `sales.opportunity` auto-open rule), a campaign
 * or an implementation project is created. Idempotent: one centre per subject.
 */
@Injectable()
export class OpenCostCentreOnSubjectCreated {
  private readonly logger = new Logger(OpenCostCentreOnSubjectCreated.name);

  constructor(private readonly tx: Tx, private readonly rules: AutoOpenRuleService, private readonly centres: CostCentreService) {}

  @OnDomainEvent('sales.opportunity.created', { consumer: 'finance.open-cost-centre-for-opportunity' })
  onOpportunityCreated(event: DomainEvent<AcceptedSubjectCreated & { amountMinor?: number | null }>) {
    return this.open(event);
  }

  @OnDomainEvent('marketing.campaign.created', { consumer: 'finance.open-cost-centre-for-campaign' })
  onCampaignCreated(event: DomainEvent<AcceptedSubjectCreated>) {
    return this.open(event);
  }

  @OnDomainEvent('service.project.created', { consumer: 'finance.open-cost-centre-for-project' })
  onProjectCreated(event: DomainEvent<AcceptedSubjectCreated>) {
    return this.open(event);
  }

  @Transactional()
  async open(event: DomainEvent<AcceptedSubjectCreated>): Promise<CostCentre | null> {
    const subjectType = AUTO_OPEN_SUBJECTS[event.type as keyof typeof AUTO_OPEN_SUBJECTS];
    const rule = subjectType ? await this.rules.find(subjectType) : null;
    if (!rule?.enabled) return null;
    const subjectId = event.aggregateId;
    if (!isUuid(subjectId)) {
      this.logger.warn(`${event.type} ${event.id}: aggregateId ${subjectId} is not a uuid; no cost centre opened`);
      return null;
    }
    if (await this.tx.tx.getRepository(CostCentre).existsBy({ subjectType, subjectId })) return null;
    const p = event.payload ?? {};
    const budget = typeof p.budgetMinor === 'number' && Number.isSafeInteger(p.budgetMinor) && p.budgetMinor >= 0 ? p.budgetMinor : null;
    const capMinor = budget ?? rule.defaultCapMinor;
    const currency = typeof p.currency === 'string' && CURRENCY_PATTERN.test(p.currency) ? p.currency : rule.defaultCurrency;
    const ownerId = isUuid(p.ownerId) ? p.ownerId : null;
    const name = `${LABELS[subjectType]}: ${typeof p.name === 'string' && p.name.trim() ? p.name.trim().slice(0, 180) : subjectId}`;
    return this.centres.open(
      null,
      { name, subjectType, subjectId, ownerId, currency, capMinor, warningLineMinor: warningLineFor(capMinor, rule.warningLinePct) },
      'event',
      event.id,
    );
  }
}
