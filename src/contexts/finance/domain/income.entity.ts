import { Column, Entity } from 'typeorm';
import { AggregateEntity } from '../../../platform/database/base.entity.js';
import { bigintToNumber } from './money.js';

/** Money received against a cost centre (does not count against its cap). */
@Entity({ schema: 'finance', name: 'income' })
export class Income extends AggregateEntity {
  @Column() code: string;
  @Column('uuid') costCentreId: string;
  @Column('bigint', { transformer: bigintToNumber }) amountMinor: number;
  @Column('char', { length: 3 }) currency: string;
  @Column('date') receivedOn: string;
  @Column() source: string;
  @Column('text', { nullable: true }) description: string | null;
  @Column('uuid', { nullable: true }) accountId: string | null;
  @Column('uuid', { nullable: true }) recordedBy: string | null;
}
