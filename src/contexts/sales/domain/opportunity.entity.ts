import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { AggregateEntity } from '../../../platform/database/base.entity.js';
import { Account, type CustomFields } from './account.entity.js';
import { MONEY } from './columns.js';
import type { OpportunityStatus } from './opportunity-stage.rules.js';
import { SalesMethod, SalesMethodStage } from './sales-method.entity.js';

/** A potential deal with an account, moving through the stages of its sales method. */
@Index('opportunity_close_idx', { synchronize: false })
@Index('opportunity_owner_close_idx', { synchronize: false })
@Index('opportunity_org_unit_close_idx', { synchronize: false })
@Index('opportunity_account_close_idx', { synchronize: false })
@Index('opportunity_status_close_idx', { synchronize: false })
@Index('opportunity_stage_idx', { synchronize: false })
@Index('opportunity_created_idx', { synchronize: false })
@Index('opportunity_updated_idx', { synchronize: false })
@Index('opportunity_source_event_key', { synchronize: false })
@Check('opportunity_amount_minor_check', `amount_minor >= 0`)
@Check('opportunity_probability_check', `probability BETWEEN 0 AND 100`)
@Check('opportunity_status_check', `status IN ('open', 'won', 'lost')`)
@Index('opportunity_custom_fields_idx', { synchronize: false })
@Entity({ schema: 'sales', name: 'opportunity' })
export class Opportunity extends AggregateEntity {
  @Column('text') name: string;
  @Column('uuid') accountId: string;
  /** Foreign key only: the code refers to the record by its id column. */
  @ManyToOne(() => Account, { nullable: false })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'opportunity_account_id_fkey' })
  protected readonly account?: Relation<Account>;
  @Column(MONEY) amountMinor: number;
  @Column('char', { length: 3 }) currency: string;
  /** Percent, 0–100: the stage's default unless set explicitly. */
  @Column('int') probability: number;
  @Column('date') closeDate: string;
  @Column('uuid') salesMethodId: string;
  @Column('text') stageKey: string;
  /** Foreign key only: the code refers to the record by its id column. */
  @ManyToOne(() => SalesMethod, { nullable: false })
  @JoinColumn({ name: 'sales_method_id', foreignKeyConstraintName: 'opportunity_sales_method_id_fkey' })
  protected readonly salesMethod?: Relation<SalesMethod>;
  @ManyToOne(() => SalesMethodStage, { nullable: false })
  @JoinColumn([
    { name: 'sales_method_id', referencedColumnName: 'salesMethodId', foreignKeyConstraintName: 'opportunity_sales_method_id_stage_key_fkey' },
    { name: 'stage_key', referencedColumnName: 'key' },
  ])
  protected readonly stage?: Relation<SalesMethodStage>;
  @Column({ type: 'timestamptz', precision: 3 }) stageEnteredAt: Date;
  @Column('text') status: OpportunityStatus;
  @Column('uuid') ownerId: string;
  @Column('uuid', { nullable: true }) orgUnitId: string | null;
  @Column('text', { nullable: true }) source: string | null;
  @Column('uuid', { nullable: true }) leadId: string | null;
  @Column('uuid', { nullable: true }) campaignId: string | null;
  @Column('text', { nullable: true }) nextStep: string | null;
  @Column('text', { nullable: true }) description: string | null;
  @Column('text', { nullable: true }) lossReason: string | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) closedAt: Date | null;
  /** The open stage it was in when it was won or lost (where reopen returns to by default). */
  @Column('text', { nullable: true }) lastOpenStageKey: string | null;
  /** The event that requested it (workflow automations): makes that consumer idempotent. */
  @Column('uuid', { nullable: true }) sourceEventId: string | null;
  @Column('jsonb') customFields: CustomFields;
}
