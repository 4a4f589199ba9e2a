import { Column, Entity, Index } from 'typeorm';
import { AggregateEntity } from '../../../platform/database/base.entity.js';

export interface TransferCounts {
  accounts: number;
  contacts: number;
  leads: number;
  opportunities: number;
  activities: number;
}

/** A record of one bulk move of a user's book of business to another user. */
@Index('ownership_transfer_created_idx', { synchronize: false })
@Entity({ schema: 'sales', name: 'ownership_transfer' })
export class OwnershipTransfer extends AggregateEntity {
  @Column('uuid') fromUserId: string;
  @Column('uuid') toUserId: string;
  @Column('uuid') requestedBy: string;
  @Column('jsonb') counts: TransferCounts;
}
