import { Check, Column, Entity, Index } from 'typeorm';
import { AggregateEntity } from '../../../platform/database/base.entity.js';
import { bigintToNumber } from '../../../platform/database/column-types.js';

/** Money received against a cost centre (does not count against its cap). */
@Entity({ schema: 'finance', name: 'income' })
@Index('income_created_idx', { synchronize: false })
@Index('income_centre_created_idx', { synchronize: false })
@Check('income_amount_minor_check', 'amount_minor > 0')
export class Income extends AggregateEntity {
  @Column({ type: 'text', unique: true }) code: string;
  @Column('uuid') costCentreId: string;
  @Column('bigint', { transformer: bigintToNumber }) amountMinor: number;
  @Column('char', { length: 3 }) currency: string;
  @Column('date') receivedOn: string;
  @Column('text') source: string;
  @Column('text', { nullable: true }) description: string | null;
  @Column('uuid', { nullable: true }) accountId: string | null;
  @Column('uuid', { nullable: true }) recordedBy: string | null;
}
