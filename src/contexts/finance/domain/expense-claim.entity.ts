import { BeforeInsert, Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { uuidv7 } from 'uuidv7';
import { AggregateEntity } from '../../../platform/database/base.entity.js';
import type { ExpenseClaimKind, ExpenseClaimStatus } from './expense-claim.rules.js';
import { bigintToNumber } from '../../../platform/database/column-types.js';

/** An employee's expense request (before spending) or reimbursement (after), charged to a cost centre. */
@Entity({ schema: 'finance', name: 'expense_claim' })
@Index('expense_claim_created_idx', { synchronize: false })
@Index('expense_claim_owner_created_idx', { synchronize: false })
@Index('expense_claim_centre_created_idx', { synchronize: false })
@Index('expense_claim_status_created_idx', { synchronize: false })
@Index('expense_claim_reconciliation_idx', { synchronize: false })
@Check('expense_claim_kind_check', `kind IN ('request', 'reimbursement')`)
@Check('expense_claim_total_minor_check', 'total_minor > 0')
@Check('expense_claim_status_check', `status IN ('draft', 'submitted', 'approved', 'posted', 'rejected', 'recalled')`)
export class ExpenseClaim extends AggregateEntity {
  @Column({ type: 'text', unique: true }) code: string;
  @Column('text') kind: ExpenseClaimKind;
  @Column('text') title: string;
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
@Unique('expense_claim_line_claim_id_position_key', ['claimId', 'position'])
@Check('expense_claim_line_amount_minor_check', 'amount_minor > 0')
export class ExpenseClaimLine {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') claimId: string;
  @Column('int') position: number;
  @Column('text') category: string;
  @Column('date') expenseDate: string;
  @Column('bigint', { transformer: bigintToNumber }) amountMinor: number;
  @Column('text', { nullable: true }) description: string | null;
  @Column('text', { nullable: true }) receiptRef: string | null;

  @BeforeInsert()
  protected assignId() {
    this.id ??= uuidv7();
  }
}
