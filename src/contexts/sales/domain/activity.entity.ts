import { Check, Column, Entity, Index } from 'typeorm';
import { AggregateEntity } from '../../../platform/database/base.entity.js';
import type { ActivityStatus, ActivityType, Priority, RelatedType } from './activity.rules.js';

/** A call, meeting, visit, email, demo or task, related to one record by id. */
@Index('activity_start_idx', { synchronize: false })
@Index('activity_owner_start_idx', { synchronize: false })
@Index('activity_org_unit_start_idx', { synchronize: false })
@Index('activity_related_idx', { synchronize: false })
@Index('activity_account_start_idx', { synchronize: false })
@Index('activity_updated_idx', { synchronize: false })
@Index('activity_system_key', { synchronize: false })
@Check('activity_type_check', `type IN ('call', 'meeting', 'visit', 'email', 'demo', 'task')`)
@Check('activity_status_check', `status IN ('open', 'completed', 'cancelled')`)
@Check('activity_end_after_start_check', `end_at IS NULL OR end_at > start_at`)
@Entity({ schema: 'sales', name: 'activity' })
export class Activity extends AggregateEntity {
  @Column('text') type: ActivityType;
  @Column('text') subject: string;
  @Column('text', { nullable: true }) description: string | null;
  @Column({ type: 'timestamptz', precision: 3 }) startAt: Date;
  /** Null for point-in-time activities (tasks, emails): they never conflict. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) endAt: Date | null;
  @Column('text', { nullable: true }) location: string | null;
  @Column('text') priority: Priority;
  @Column('text') status: ActivityStatus;
  @Column('text', { nullable: true }) outcome: string | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) completedAt: Date | null;
  @Column('uuid') ownerId: string;
  @Column('uuid', { nullable: true }) orgUnitId: string | null;
  @Column('uuid', { array: true }) participantIds: string[];
  @Column('text', { nullable: true }) relatedType: RelatedType | null;
  @Column('uuid', { nullable: true }) relatedId: string | null;
  /** The account the activity belongs to, derived from the related record (partner/customer scope). */
  @Column('uuid', { nullable: true }) accountId: string | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) reminderAt: Date | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) reminderSentAt: Date | null;
  /** Set on tasks the system creates (`birthday:<contactId>:<yyyy>`): one per occasion. */
  @Column('text', { nullable: true }) systemKey: string | null;
}
