import { Injectable } from '@nestjs/common';
import { auditChange } from '../../../platform/audit/audit-diff.js';
import { AuditLog } from '../../../platform/audit/audit-log.js';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import { insertReturning } from '../../../platform/database/rows.js';
import { assertVersion, updateVersioned } from '../../../platform/database/versioned-update.js';
import { DomainError } from '../../../platform/errors/domain-error.js';
import { paginate, type Page, type PageQuery } from '../../../platform/http/pagination.js';
import type { Actor } from '../../../platform/identity/domain/actor.js';
import { OrgDirectory } from '../../../platform/identity/application/org-directory.js';
import { Clock } from '../../../platform/scheduling/clock.js';
import { Timers } from '../../../platform/scheduling/timers.js';
import { Account } from '../domain/account.entity.js';
import { Activity } from '../domain/activity.entity.js';
import {
  assertActivityOpen, assertActivityTransition, assertNoConflict, assertTimes, MAX_CALENDAR_DAYS,
  type ActivityStatus, type ActivityType, type Priority, type RelatedType,
} from '../domain/activity.rules.js';
import { Contact } from '../domain/contact.entity.js';
import { Lead } from '../domain/lead.entity.js';
import { Opportunity } from '../domain/opportunity.entity.js';
import { changedFields, present, refuseNulls, snapshot } from './changes.js';
import { LeadService } from './lead.service.js';
import { SalesAccess, type Caller } from './sales-access.js';
import { SalesEventPublisher } from './sales-events.js';

/** Durable timer publishing `sales.activity.reminder-due`; key = activity id. */
export const ACTIVITY_REMINDER = 'sales.activity-reminder';

export interface ActivityInput {
  type: ActivityType;
  subject: string;
  description?: string | null;
  startAt: Date;
  endAt?: Date | null;
  location?: string | null;
  priority?: Priority;
  ownerId?: string;
  participantIds?: string[];
  related?: { type: RelatedType; id: string } | null;
  reminderAt?: Date | null;
  systemKey?: string | null;
}

export type ActivityChanges = Partial<Omit<ActivityInput, 'type' | 'systemKey'>>;

export interface ActivityFilter extends PageQuery {
  type?: ActivityType;
  status?: ActivityStatus;
  ownerId?: string;
  relatedType?: RelatedType;
  relatedId?: string;
  accountId?: string;
  from?: string;
  to?: string;
}

export interface CalendarQuery {
  ownerId?: string;
  orgUnitId?: string;
  from: Date;
  to: Date;
}

const REQUIRED = ['subject', 'startAt', 'priority', 'ownerId', 'participantIds'];
/** Sales records an activity can point at. */
const SALES_RELATED = { account: Account, contact: Contact, lead: Lead, opportunity: Opportunity } as const;
/** Records of other contexts an activity can point at, by their registered record types. */
const FOREIGN_RELATED = { campaign: 'marketing.campaign', 'service-request': 'service.ticket' } as const satisfies Partial<Record<RelatedType, string>>;
const RELATED_FIELD = 'related.id';
const UNKNOWN_RELATED = 'sales.activity.unknown-related';

/** Activities, the calendar with conflict detection, completion and reminders. */
@Injectable()
export class ActivityService {
  constructor(
    private readonly tx: Tx,
    private readonly access: SalesAccess,
    private readonly events: SalesEventPublisher,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly timers: Timers,
    private readonly directory: OrgDirectory,
    private readonly leads: LeadService,
  ) {}

  /**
   * Books or logs an activity. An overlap with the owner's other open bookings answers 409
   * `sales.activity.calendar-conflict` listing `conflictingIds` unless `allowConflict`. The check
   * runs under a transaction lock on the owner, so two concurrent bookings cannot both pass.
   */
  @Transactional()
  async create(actor: Caller, input: ActivityInput, allowConflict = false): Promise<Activity> {
    const endAt = input.endAt ?? null;
    const reminderAt = input.reminderAt ?? null;
    assertTimes(input.startAt, endAt, reminderAt);
    const owner = await this.access.resolveOwner(actor, 'activity', input.ownerId);
    await this.access.assertActiveUsers(actor, input.participantIds ?? [], 'participantIds');
    const accountId = input.related ? await this.accountOf(actor, input.related) : null;
    const repo = this.tx.tx.getRepository(Activity);
    const activity = repo.create({
      type: input.type,
      subject: input.subject,
      description: input.description ?? null,
      startAt: input.startAt,
      endAt,
      location: input.location ?? null,
      priority: input.priority ?? 'normal',
      status: 'open',
      outcome: null,
      completedAt: null,
      ...owner,
      participantIds: input.participantIds ?? [],
      relatedType: input.related?.type ?? null,
      relatedId: input.related?.id ?? null,
      accountId,
      reminderAt,
      reminderSentAt: null,
      systemKey: input.systemKey ?? null,
    });
    await this.assertFree(activity, allowConflict);
    const created = await insertReturning(this.tx.tx, Activity, activity);
    await this.audit.record({ actor, recordType: 'sales.activity', recordId: created.id, action: 'create', after: snapshot(created) });
    await this.events.publish('sales.activity.created', created.id, {
      activityId: created.id,
      type: created.type,
      subject: created.subject,
      ownerId: created.ownerId,
      startAt: created.startAt.toISOString(),
      endAt: created.endAt?.toISOString() ?? null,
      relatedType: created.relatedType,
      relatedId: created.relatedId,
      accountId: created.accountId,
    });
    if (reminderAt) await this.timers.schedule({ kind: ACTIVITY_REMINDER, key: created.id, dueAt: reminderAt });
    if (created.relatedType === 'lead') await this.leads.recordActivity(actor, created.relatedId!, this.clock.now());
    return created;
  }

  get(actor: Caller, id: string): Promise<Activity> {
    return this.access.load(actor, 'activity', Activity, 'Activity', id);
  }

  async list(actor: Actor, filter: ActivityFilter): Promise<Page<Activity>> {
    const qb = this.tx.tx.getRepository(Activity).createQueryBuilder('a');
    for (const field of ['type', 'status', 'ownerId', 'relatedType', 'relatedId', 'accountId'] as const) {
      if (filter[field] !== undefined) qb.andWhere(`a.${field} = :${field}`, { [field]: filter[field] });
    }
    if (filter.from) qb.andWhere('a.startAt >= :from', { from: new Date(filter.from) });
    if (filter.to) qb.andWhere('a.startAt < :to', { to: new Date(filter.to) });
    await this.access.narrow(qb, actor, 'activity');
    return paginate(qb, filter, { sortable: { startAt: 'startAt', createdAt: 'createdAt', updatedAt: 'updatedAt' }, defaultSort: 'startAt' });
  }

  /** Activities of one user or of an org unit (and the units below it) overlapping [from, to), by start. */
  async calendar(actor: Actor, query: CalendarQuery): Promise<Activity[]> {
    if (query.to.getTime() <= query.from.getTime() || query.to.getTime() - query.from.getTime() > MAX_CALENDAR_DAYS * 86_400_000) {
      throw new DomainError('invalid', 'validation-failed', `to must be after from, at most ${MAX_CALENDAR_DAYS} days later`, {}, [
        { field: 'to', message: `must be after from and at most ${MAX_CALENDAR_DAYS} days later` },
      ]);
    }
    if (!!query.ownerId === !!query.orgUnitId) {
      throw new DomainError('invalid', 'validation-failed', 'Give exactly one of ownerId or orgUnitId', {}, [{ field: 'ownerId', message: 'give exactly one of ownerId or orgUnitId' }]);
    }
    const owners = query.ownerId ? [query.ownerId] : (await this.directory.activeUsersInSubtree(query.orgUnitId!)).map((u) => u.id);
    const qb = this.tx.tx
      .getRepository(Activity)
      .createQueryBuilder('a')
      .where('a.ownerId = ANY(:owners)', { owners })
      .andWhere(`a.status <> 'cancelled'`)
      .andWhere('a.startAt < :to', { to: query.to })
      .andWhere('coalesce(a.endAt, a.startAt) >= :from', { from: query.from })
      .andWhere('a.startAt >= :earliest', { earliest: new Date(query.from.getTime() - MAX_CALENDAR_DAYS * 86_400_000) })
      .orderBy('a.startAt', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .limit(2000);
    await this.access.narrow(qb, actor, 'activity');
    return qb.getMany();
  }

  @Transactional()
  async update(actor: Actor, id: string, expectedVersion: number | undefined, changes: ActivityChanges, allowConflict = false): Promise<Activity> {
    refuseNulls(changes, REQUIRED);
    const before = await this.get(actor, id);
    assertActivityOpen(before.status);
    const { related, ...plain } = present(changes);
    const patch: Partial<Activity> = { ...plain };
    // Only what changes is checked: a related record or participant already on the activity stays.
    if (related !== undefined && ((related?.type ?? null) !== before.relatedType || (related?.id ?? null) !== before.relatedId)) {
      Object.assign(patch, { relatedType: related?.type ?? null, relatedId: related?.id ?? null, accountId: related ? await this.accountOf(actor, related) : null });
    }
    if (patch.ownerId && patch.ownerId !== before.ownerId) Object.assign(patch, await this.access.resolveOwner(actor, 'activity', patch.ownerId));
    if (patch.participantIds) {
      const requested = patch.participantIds;
      const added = requested.filter((id) => !before.participantIds.includes(id));
      await this.access.assertActiveUsers(actor, added, 'participantIds', (id) => requested.indexOf(id));
    }
    const fields = changedFields(before, patch);
    const next = { ...before, ...patch };
    assertTimes(next.startAt, next.endAt, next.reminderAt);
    if (fields.some((f) => f === 'startAt' || f === 'endAt' || f === 'ownerId')) await this.assertFree(next, allowConflict);
    if (fields.includes('reminderAt')) patch.reminderSentAt = null;
    const after = await updateVersioned(this.tx.tx, Activity, 'Activity', id, expectedVersion, patch);
    if (fields.length) await this.audit.record({ actor, recordType: 'sales.activity', recordId: id, action: 'update', ...auditChange(before, after, fields) });
    if (fields.includes('reminderAt')) {
      if (after.reminderAt) await this.timers.schedule({ kind: ACTIVITY_REMINDER, key: id, dueAt: after.reminderAt });
      else await this.timers.cancel(ACTIVITY_REMINDER, id);
    }
    return after;
  }

  @Transactional()
  async complete(actor: Actor, id: string, expectedVersion: number | undefined, outcome: string | null): Promise<Activity> {
    const before = await this.get(actor, id);
    assertActivityTransition(before.status, 'completed');
    const after = await updateVersioned(this.tx.tx, Activity, 'Activity', id, expectedVersion, { status: 'completed', outcome, completedAt: this.clock.now() });
    await this.audit.record({ actor, recordType: 'sales.activity', recordId: id, action: 'complete', ...auditChange(before, after, ['status', 'outcome']) });
    await this.events.publish('sales.activity.completed', id, {
      activityId: id,
      type: after.type,
      ownerId: after.ownerId,
      outcome,
      relatedType: after.relatedType,
      relatedId: after.relatedId,
      accountId: after.accountId,
      completedAt: after.completedAt!.toISOString(),
    });
    await this.timers.cancel(ACTIVITY_REMINDER, id);
    if (after.relatedType === 'lead') await this.leads.recordActivity(actor, after.relatedId!, after.completedAt!);
    return after;
  }

  @Transactional()
  async delete(actor: Actor, id: string, expectedVersion: number | undefined): Promise<void> {
    const activity = await this.access.load(actor, 'activity', Activity, 'Activity', id, { lock: true });
    assertVersion(expectedVersion, activity.version);
    await this.tx.tx.getRepository(Activity).delete({ id });
    await this.audit.record({ actor, recordType: 'sales.activity', recordId: id, action: 'delete', before: snapshot(activity) });
    await this.timers.cancel(ACTIVITY_REMINDER, id);
  }

  /**
   * The reminder timer fired: publishes `sales.activity.reminder-due` once — only for an open
   * activity whose reminder time is still the one the timer was set for and not yet sent.
   */
  @Transactional()
  async sendReminder(id: string): Promise<void> {
    const [activity]: Activity[] = await this.tx.tx
      .getRepository(Activity)
      .createQueryBuilder('a')
      .setLock('pessimistic_write')
      .where('a.id = :id', { id })
      .getMany();
    if (!activity || activity.status !== 'open' || !activity.reminderAt || activity.reminderSentAt) return;
    if (activity.reminderAt.getTime() > this.clock.now().getTime()) {
      await this.timers.schedule({ kind: ACTIVITY_REMINDER, key: id, dueAt: activity.reminderAt });
      return;
    }
    await this.tx.tx.getRepository(Activity).update({ id }, { reminderSentAt: this.clock.now() });
    await this.events.publish('sales.activity.reminder-due', id, {
      activityId: id,
      ownerId: activity.ownerId,
      subject: activity.subject,
      startAt: activity.startAt.toISOString(),
      reminderAt: activity.reminderAt.toISOString(),
    });
  }

  private async assertFree(booking: Pick<Activity, 'id' | 'ownerId' | 'startAt' | 'endAt'>, allowConflict: boolean): Promise<void> {
    if (!booking.endAt) return;
    const em = this.tx.tx;
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`sales.calendar:${booking.ownerId}`]);
    const others: Array<{ id: string; startAt: Date; endAt: Date | null }> = await em
      .getRepository(Activity)
      .createQueryBuilder('a')
      .select(['a.id', 'a.startAt', 'a.endAt'])
      .where('a.ownerId = :ownerId', { ownerId: booking.ownerId })
      .andWhere(`a.status = 'open'`)
      .andWhere('a.endAt IS NOT NULL')
      .andWhere('a.startAt < :end', { end: booking.endAt })
      .andWhere('a.endAt > :start', { start: booking.startAt })
      .andWhere('a.startAt > :earliest', { earliest: new Date(booking.startAt.getTime() - MAX_CALENDAR_DAYS * 86_400_000) })
      .andWhere('a.id <> :id', { id: booking.id ?? '00000000-0000-0000-0000-000000000000' })
      .orderBy('a.startAt')
      .limit(100)
      .getMany();
    assertNoConflict({ id: booking.id, startAt: booking.startAt, endAt: booking.endAt }, others, allowConflict);
  }

  /**
   * The account an activity belongs to, from its related record, which the caller must see: a
   * Sales record in the caller's scope (pool leads included), or a record of another context
   * registered with the platform's RecordScopeRegistry (campaigns, service tickets: unknown
   * until their context registers them). Missing and out of scope: one answer, 422
   * `sales.activity.unknown-related` naming `related.id`.
   */
  private async accountOf(actor: Caller, related: { type: RelatedType; id: string }): Promise<string | null> {
    const foreign = FOREIGN_RELATED[related.type as keyof typeof FOREIGN_RELATED];
    if (foreign) {
      // System use cases (actor null) carry ids from other contexts' events.
      if (actor) await this.access.assertForeign(actor, foreign, related.id, RELATED_FIELD, UNKNOWN_RELATED);
      return null;
    }
    const type = related.type as keyof typeof SALES_RELATED;
    const record = await this.access.reference(actor, type, SALES_RELATED[type] as never, RELATED_FIELD, related.id, { code: UNKNOWN_RELATED });
    if (type === 'lead') return null;
    return type === 'account' ? (record as Account).id : (record as Contact | Opportunity).accountId;
  }
}
