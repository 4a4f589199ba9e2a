import { Column, Entity, Index } from 'typeorm';
import { AggregateEntity } from '../../database/base.entity.js';

@Index('api_key_key_hash_key', { synchronize: false })
@Index('api_key_created_at_idx', { synchronize: false })
@Entity({ schema: 'platform', name: 'api_key' })
export class ApiKey extends AggregateEntity {
  @Column('text') name: string;
  /** The first characters of the key, to recognise it in lists; the key itself is never stored. */
  @Column('text') prefix: string;
  @Column('text', { select: false }) keyHash: string;
  @Column('text', { array: true }) permissions: string[];
  @Column('uuid') createdBy: string;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) lastUsedAt: Date | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) revokedAt: Date | null;
}
