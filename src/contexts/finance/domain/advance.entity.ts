import { Check, Column, Entity, Index } from 'typeorm';
import { AggregateEntity } from '../../../platform/database/base.entity.js';
import type { AdvanceStatus } from './advance.rules.js';
import { bigintToNumber } from '../../../platform/database/column-types.js';

/** Money paid to an employee before spending ("预支"), charged to a cost centre. */
@Entity({ schema: 'finance', name: 'advance' })
@Index('advance_created_idx', { synchronize: false })
@Index('advance_owner_created_idx', { synchronize: false })
@Index('advance_status_created_idx', { synchronize: false })
@Index('advance_reconciliation_idx', { synchronize: false })
@Check('advance_amount_minor_check', 'amount_minor > 0')
@Check('advance_status_check', `status IN ('draft', 'submitted', 'approved', 'paid', 'rejected', 'recalled')`)
export class Advance extends AggregateEntity {
  @Column({ type: 'text', unique: true }) code: string;
  @Column('uuid') costCentreId: string;
  @Column('uuid') ownerId: string;
  @Column('uuid', { nullable: true }) ownerOrgUnitId: string | null;
  @Column('bigint', { transformer: bigintToNumber }) amountMinor: number;
  @Column('char', { length: 3 }) currency: string;
  @Column('text') purpose: string;
  @Column('text', { default: 'draft' }) status: AdvanceStatus;
  @Column('uuid', { nullable: true }) approvalId: string | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) submittedAt: Date | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) decidedAt: Date | null;
  @Column('uuid', { nullable: true }) decidedBy: string | null;
  @Column('text', { nullable: true }) decisionComment: string | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) paidAt: Date | null;
  @Column('uuid', { nullable: true }) paidBy: string | null;
  @Column('text', { nullable: true }) paymentRef: string | null;
  /** Who took part in its approval (decided a step, or submitted it for the requester): they may not pay it. Not shown in the API. */
  @Column('uuid', { array: true, default: () => "'{}'" }) approverIds: string[];
}
