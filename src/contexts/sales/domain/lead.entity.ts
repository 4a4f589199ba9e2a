import { Check, Column, Entity, Index } from 'typeorm';
import { AggregateEntity } from '../../../platform/database/base.entity.js';
import type { CustomFields } from './account.entity.js';
import { MONEY } from './columns.js';
import type { LeadStatus } from './lead-status.rules.js';

export const LEAD_SOURCES = ['manual', 'web-form', 'campaign', 'import', 'referral', 'partner', 'other'] as const;
export type LeadSource = (typeof LEAD_SOURCES)[number];

/** A prospective customer not yet qualified. Unowned `new` leads form the lead pool. */
@Index('lead_created_idx', { synchronize: false })
@Index('lead_updated_idx', { synchronize: false })
@Index('lead_owner_created_idx', { synchronize: false })
@Index('lead_status_created_idx', { synchronize: false })
@Index('lead_owner_open_idx', { synchronize: false })
@Index('lead_pool_idx', { synchronize: false })
@Index('lead_source_event_key', { synchronize: false })
@Index('lead_email_key_idx', { synchronize: false })
@Index('lead_search_idx', { synchronize: false })
@Check('lead_status_check', `status IN ('new', 'assigned', 'working', 'qualified', 'disqualified', 'converted')`)
@Check('lead_owner_check', `status = 'new' OR status IN ('disqualified', 'converted') OR owner_id IS NOT NULL`)
@Index('lead_custom_fields_idx', { synchronize: false })
@Entity({ schema: 'sales', name: 'lead' })
export class Lead extends AggregateEntity {
  @Column('text', { nullable: true }) company: string | null;
  @Column('text', { nullable: true }) firstName: string | null;
  @Column('text') lastName: string;
  @Column('text', { nullable: true }) title: string | null;
  @Column('text', { nullable: true }) email: string | null;
  @Column('text', { nullable: true }) phone: string | null;
  @Column('text') source: LeadSource;
  @Column('text', { nullable: true }) industry: string | null;
  @Column('text', { nullable: true }) region: string | null;
  @Column('text', { nullable: true }) productInterest: string | null;
  @Column({ ...MONEY, nullable: true }) estimatedAmountMinor: number | null;
  @Column('char', { length: 3, nullable: true }) currency: string | null;
  @Column('text', { nullable: true }) description: string | null;
  @Column('text') status: LeadStatus;
  @Column('uuid', { nullable: true }) ownerId: string | null;
  @Column('uuid', { nullable: true }) orgUnitId: string | null;
  @Column('uuid', { nullable: true }) campaignId: string | null;
  @Column('uuid', { nullable: true }) captureFormId: string | null;
  @Column('uuid', { nullable: true }) assignmentRuleId: string | null;
  @Column('text', { nullable: true }) disqualifyReason: string | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) lastActivityAt: Date | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) assignedAt: Date | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) convertedAt: Date | null;
  @Column('uuid', { nullable: true }) convertedAccountId: string | null;
  @Column('uuid', { nullable: true }) convertedContactId: string | null;
  @Column('uuid', { nullable: true }) convertedOpportunityId: string | null;
  /** The event this lead was created from (campaign responses): makes the consumer idempotent. */
  @Column('uuid', { nullable: true }) sourceEventId: string | null;
  @Column('jsonb') customFields: CustomFields;
  @Column('text', { nullable: true }) emailKey: string | null;
  @Column('text', { nullable: true }) phoneKey: string | null;
  @Column('text', { select: false }) searchText: string;
}
