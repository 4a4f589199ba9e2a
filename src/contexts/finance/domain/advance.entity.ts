import { Column, Entity } from 'typeorm';
import { AggregateEntity } from '../../../platform/database/base.entity.js';
import type { AdvanceStatus } from './advance.rules.js';
import { bigintToNumber } from './money.js';

/** Money paid to an employee before spending ("预支"), charged to a cost centre. */
@Entity({ schema: 'finance', name: 'advance' })
export class Advance extends AggregateEntity {
  @Column() code: string;
  @Column('uuid') costCentreId: string;
  @Column('uuid') ownerId: string;
  @Column('uuid', { nullable: true }) ownerOrgUnitId: string | null;
  @Column('bigint', { transformer: bigintToNumber }) amountMinor: number;
  @Column('char', { length: 3 }) currency: string;
  @Column() purpose: string;
  @Column('text', { default: 'draft' }) status: AdvanceStatus;
  @Column('uuid', { nullable: true }) approvalId: string | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) submittedAt: Date | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) decidedAt: Date | null;
  @Column('uuid', { nullable: true }) decidedBy: string | null;
  @Column('text', { nullable: true }) decisionComment: string | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) paidAt: Date | null;
  @Column('uuid', { nullable: true }) paidBy: string | null;
  @Column('text', { nullable: true }) paymentRef: string | null;
}
