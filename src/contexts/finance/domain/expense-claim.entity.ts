import { BeforeInsert, Column, Entity, PrimaryColumn } from 'typeorm';
import { uuidv7 } from 'uuidv7';
import { AggregateEntity } from '../../../platform/database/base.entity.js';
import type { ExpenseClaimKind, ExpenseClaimStatus } from './expense-claim.rules.js';
import { bigintToNumber } from './money.js';

/** An employee's expense request (before spending) or reimbursement (after), charged to a cost centre. */
@Entity({ schema: 'finance', name: 'expense_claim' })
export class ExpenseClaim extends AggregateEntity {
  @Column() code: string;
  @Column('text') kind: ExpenseClaimKind;
  @Column() title: string;
  @Column('uuid') costCentreId: string;
  /** The claimant. */
  @Column('uuid') ownerId: string;
  @Column('uuid', { nullable: true }) ownerOrgUnitId: string | null;
  @Column('char', { length: 3 }) currency: string;
  @Column('bigint', { transformer: bigintToNumber }) totalMinor: number;
  @Column('uuid', { nullable: true }) accountId: string | null;
  @Column('uuid', { nullable: true }) campaignId: string | null;
  @Column('uuid', { nullable: true }) productId: string | null;
  @Column('text', { nullable: true }) supplierRef: string | null;
  @Column('text', { default: 'draft' }) status: ExpenseClaimStatus;
  @Column('uuid', { nullable: true }) approvalId: string | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) submittedAt: Date | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) decidedAt: Date | null;
  @Column('uuid', { nullable: true }) decidedBy: string | null;
  @Column('text', { nullable: true }) decisionComment: string | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) postedAt: Date | null;
}

@Entity({ schema: 'finance', name: 'expense_claim_line' })
export class ExpenseClaimLine {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') claimId: string;
  @Column('int') position: number;
  @Column() category: string;
  @Column('date') expenseDate: string;
  @Column('bigint', { transformer: bigintToNumber }) amountMinor: number;
  @Column('text', { nullable: true }) description: string | null;
  @Column('text', { nullable: true }) receiptRef: string | null;

  @BeforeInsert()
  protected assignId() {
    this.id ??= uuidv7();
  }
}
