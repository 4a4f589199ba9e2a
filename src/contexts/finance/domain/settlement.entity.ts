import { Check, Column, Entity, Index } from 'typeorm';
import { AggregateEntity } from '../../../platform/database/base.entity.js';
import { bigintToNumber } from '../../../platform/database/column-types.js';
import type { SettlementDirection } from './reconciliation.rules.js';

/** A payment that squares an employee's reconciliation balance (returned or paid out). */
@Entity({ schema: 'finance', name: 'settlement' })
@Index('settlement_user_idx', { synchronize: false })
@Check('settlement_direction_check', `direction IN ('employee-returns', 'company-pays')`)
@Check('settlement_amount_minor_check', 'amount_minor > 0')
export class Settlement extends AggregateEntity {
  @Column('uuid') userId: string;
  @Column('uuid', { nullable: true }) costCentreId: string | null;
  @Column('char', { length: 3 }) currency: string;
  @Column('text') direction: SettlementDirection;
  @Column('bigint', { transformer: bigintToNumber }) amountMinor: number;
  @Column('date') settledOn: string;
  @Column('text', { nullable: true }) reference: string | null;
  @Column('text', { nullable: true }) note: string | null;
  @Column('uuid', { nullable: true }) recordedBy: string | null;
}
