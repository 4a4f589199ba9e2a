import { Column, Entity } from 'typeorm';
import { AggregateEntity } from '../../../platform/database/base.entity.js';
import type { CustomFields } from './account.entity.js';
import { MONEY } from './columns.js';
import type { OpportunityStatus } from './opportunity-stage.rules.js';

/** A potential deal with an account, moving through the stages of its sales method. */
@Entity({ schema: 'sales', name: 'opportunity' })
export class Opportunity extends AggregateEntity {
  @Column('text') name: string;
  @Column('uuid') accountId: string;
  @Column(MONEY) amountMinor: number;
  @Column('char', { length: 3 }) currency: string;
  /** Percent, 0–100: the stage's default unless set explicitly. */
  @Column('int') probability: number;
  @Column('date') closeDate: string;
  @Column('uuid') salesMethodId: string;
  @Column('text') stageKey: string;
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
