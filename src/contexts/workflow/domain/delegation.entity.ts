import { Check, Column, Entity, Index } from 'typeorm';
import { AggregateEntity } from '../../../platform/database/base.entity.js';

/** Out of office: new tasks for `fromUserId` go to `toUserId` while `startsAt <= now < endsAt`. */
@Entity({ schema: 'workflow', name: 'delegation' })
@Check('delegation_window_chk', 'ends_at > starts_at')
@Check('delegation_self_chk', 'from_user_id <> to_user_id')
@Index('delegation_from_idx', ['fromUserId', 'endsAt'])
@Index('delegation_created_idx', ['createdAt', 'id'])
export class Delegation extends AggregateEntity {
  @Column({ type: 'uuid' }) fromUserId: string;
  @Column({ type: 'uuid' }) toUserId: string;
  @Column({ type: 'timestamptz', precision: 3 }) startsAt: Date;
  @Column({ type: 'timestamptz', precision: 3 }) endsAt: Date;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ type: 'uuid', nullable: true }) createdBy: string | null;
}
