import { Injectable } from '@nestjs/common';
import { auditChange } from '../../../platform/audit/audit-diff.js';
import { AuditLog } from '../../../platform/audit/audit-log.js';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import { insertReturning } from '../../../platform/database/rows.js';
import { assertVersion, updateVersioned } from '../../../platform/database/versioned-update.js';
import { DomainError, NotFoundError, StaleVersionError } from '../../../platform/errors/domain-error.js';
import { paginateRendered, type PageQuery } from '../../../platform/http/pagination.js';
import type { RecordView, RenderedJson } from '../../../platform/http/record-view.js';
import type { Actor } from '../../../platform/identity/domain/actor.js';
import { Clock } from '../../../platform/scheduling/clock.js';
import { Timers } from '../../../platform/scheduling/timers.js';
import { Account, type CustomFields } from '../domain/account.entity.js';
import { emailKey, phoneKey, searchText } from '../domain/duplicate.rules.js';
import { Lead, type LeadSource } from '../domain/lead.entity.js';
import { assertLeadEditable, assertLeadTransition, OPEN_LEAD_STATUSES, type LeadStatus } from '../domain/lead-status.rules.js';
import { AccountService } from './account.service.js';
import { changedFields, present, refuseNulls, snapshot } from './changes.js';
import { ContactService } from './contact.service.js';
import { LeadAssignmentService } from './lead-assignment.service.js';
import { CAMPAIGN, OpportunityService } from './opportunity.service.js';
import { filterByCustomFields } from './custom-fields.js';
import { SalesAccess, type Caller } from './sales-access.js';
import { containsPattern, SalesEventPublisher } from './sales-events.js';
import { SALES_SETTINGS, SalesSettings } from './sales-settings.js';

/** Durable timer returning an idle owned lead to the pool; key = lead id. */
export const LEAD_POOL_RETURN = 'sales.lead-pool-return';

export interface LeadInput {
  company?: string | null;
  firstName?: string | null;
  lastName: string;
  title?: string | null;
  email?: string | null;
  phone?: string | null;
  source?: LeadSource;
  industry?: string | null;
  region?: string | null;
  productInterest?: string | null;
  estimatedAmountMinor?: number | null;
  currency?: string | null;
  description?: string | null;
  campaignId?: string | null;
  customFields?: CustomFields;
}

export interface NewLead extends LeadInput {
  ownerId?: string;
  captureFormId?: string | null;
  sourceEventId?: string | null;
}

export interface LeadFilter extends PageQuery {
  q?: string;
  status?: LeadStatus;
  ownerId?: string;
  source?: LeadSource;
  campaignId?: string;
  region?: string;
  customFields?: CustomFields;
}

export interface ConvertLeadInput {
  accountId?: string;
  createOpportunity?: boolean;
  opportunity?: { name?: string; amountMinor?: number; currency?: string; closeDate: string; salesMethodId?: string };
  force?: boolean;
}

export interface ConversionResult {
  lead: Lead;
  accountId: string;
  contactId: string;
  opportunityId: string | null;
}

const REQUIRED = ['lastName', 'source', 'customFields'];
const OPTIONAL = ['company', 'firstName', 'title', 'email', 'phone', 'industry', 'region', 'productInterest', 'estimatedAmountMinor', 'currency', 'description', 'campaignId'];

/**
 * Leads through their life cycle: creation (with assignment rules), manual and rule-based
 * assignment, qualification, conversion, and the lead pool (release, claim, return on inactivity).
 */
@Injectable()
export class LeadService {
  constructor(
    private readonly tx: Tx,
    private readonly access: SalesAccess,
    private readonly events: SalesEventPublisher,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly timers: Timers,
    private readonly settings: SalesSettings,
    private readonly assignment: LeadAssignmentService,
    private readonly accounts: AccountService,
    private readonly contacts: ContactService,
    private readonly opportunities: OpportunityService,
  ) {}

  /**
   * Creates a lead. Owner: the named `ownerId`; else the first matching assignment rule; else
   * the caller (manual entry) — or the pool for system sources (web forms, campaign responses).
   */
  @Transactional()
  async create(actor: Caller, input: NewLead): Promise<Lead> {
    const repo = this.tx.tx.getRepository(Lead);
    const lead = repo.create({
      source: actor ? 'manual' : 'other',
      customFields: {},
      ...Object.fromEntries(OPTIONAL.map((k) => [k, null])),
      ...present(input),
      status: 'new' as LeadStatus,
      ownerId: null,
      orgUnitId: null,
      captureFormId: input.captureFormId ?? null,
      sourceEventId: input.sourceEventId ?? null,
    });
    Object.assign(lead, keysOf(lead));
    // A caller's campaign id is checked; system sources (capture forms, campaign responses) carry their own.
    if (actor && input.campaignId) await this.access.assertForeign(actor, CAMPAIGN, input.campaignId, 'campaignId');
    let via: 'manual' | 'rule' = 'manual';
    if (input.ownerId) {
      Object.assign(lead, await this.access.resolveOwner(actor, 'lead', input.ownerId));
    } else {
      const rule = await this.assignment.assign(lead);
      if (rule) {
        Object.assign(lead, { ownerId: rule.ownerId, orgUnitId: rule.orgUnitId, assignmentRuleId: rule.ruleId });
        via = 'rule';
      } else if (actor) {
        Object.assign(lead, await this.access.resolveOwner(actor, 'lead'));
      }
    }
    if (lead.ownerId) Object.assign(lead, { status: 'assigned', assignedAt: this.clock.now() });
    const created = await insertReturning(this.tx.tx, Lead, lead);
    await this.audit.record({ actor, recordType: 'sales.lead', recordId: created.id, action: 'create', after: snapshot(created) });
    await this.events.publish('sales.lead.created', created.id, {
      leadId: created.id,
      source: created.source,
      company: created.company,
      email: created.email,
      ownerId: created.ownerId,
      campaignId: created.campaignId,
    });
    if (created.ownerId) await this.assigned(created, null, via, created.assignmentRuleId);
    return created;
  }

  get(actor: Caller, id: string): Promise<Lead> {
    return this.load(actor, id);
  }

  /** A page of the leads in the actor's scope matching the filter, rendered through `view`. */
  async list(actor: Actor, filter: LeadFilter, view: RecordView<Lead, unknown>): Promise<RenderedJson> {
    const qb = this.tx.tx.getRepository(Lead).createQueryBuilder('l');
    filterByCustomFields(qb, filter.customFields);
    for (const field of ['status', 'ownerId', 'source', 'campaignId', 'region'] as const) {
      if (filter[field] !== undefined) qb.andWhere(`l.${field} = :${field}`, { [field]: filter[field] });
    }
    if (filter.q) qb.andWhere('l.searchText LIKE :q', { q: containsPattern(filter.q) });
    await this.access.narrow(qb, actor, 'lead');
    return paginateRendered(qb, filter, { sortable: { createdAt: 'createdAt', updatedAt: 'updatedAt' }, defaultSort: '-createdAt' }, view);
  }

  /** The lead pool: unowned `new` leads, oldest first. Visible to everyone who may claim. */
  pool(query: PageQuery & { region?: string; productInterest?: string }, view: RecordView<Lead, unknown>): Promise<RenderedJson> {
    const qb = this.tx.tx
      .getRepository(Lead)
      .createQueryBuilder('l')
      .where('l.ownerId IS NULL')
      .andWhere(`l.status = 'new'`);
    if (query.region) qb.andWhere('l.region = :region', { region: query.region });
    if (query.productInterest) qb.andWhere('l.productInterest = :productInterest', { productInterest: query.productInterest });
    return paginateRendered(qb, query, { sortable: { createdAt: 'createdAt' }, defaultSort: 'createdAt' }, view);
  }

  @Transactional()
  async update(actor: Actor, id: string, expectedVersion: number | undefined, changes: Partial<LeadInput>): Promise<Lead> {
    refuseNulls(changes, REQUIRED);
    const before = await this.load(actor, id);
    assertLeadEditable(before.status);
    const fields = changedFields(before, changes as Partial<Lead>);
    const patch: Partial<Lead> = { ...Object.fromEntries(fields.map((f) => [f, (changes as Partial<Lead>)[f]])) };
    if (patch.campaignId) await this.access.assertForeign(actor, CAMPAIGN, patch.campaignId, 'campaignId');
    Object.assign(patch, keysOf({ ...before, ...patch }));
    const after = await updateVersioned(this.tx.tx, Lead, 'Lead', id, expectedVersion, patch);
    if (fields.length) await this.audit.record({ actor, recordType: 'sales.lead', recordId: id, action: 'update', ...auditChange(before, after, fields) });
    return after;
  }

  /** Manual (re)assignment to a user inside the caller's scope. */
  @Transactional()
  async assign(actor: Actor, id: string, expectedVersion: number | undefined, ownerId: string): Promise<Lead> {
    const before = await this.load(actor, id);
    assertLeadTransition(before.status, 'assigned');
    const owner = await this.access.resolveOwner(actor, 'lead', ownerId);
    const after = await updateVersioned(this.tx.tx, Lead, 'Lead', id, expectedVersion, {
      ...owner,
      status: 'assigned',
      assignedAt: this.clock.now(),
      lastActivityAt: null,
    });
    await this.audit.record({ actor, recordType: 'sales.lead', recordId: id, action: 'assign', ...auditChange(before, after, ['ownerId', 'status']) });
    await this.assigned(after, before.ownerId, 'manual', null);
    return after;
  }

  /** Applies the assignment rules now (e.g. after editing the rules); 422 when none matches. */
  @Transactional()
  async autoAssign(actor: Actor, id: string, expectedVersion: number | undefined): Promise<Lead> {
    const before = await this.load(actor, id);
    assertLeadTransition(before.status, 'assigned');
    const rule = await this.assignment.assign(before);
    if (!rule) throw new DomainError('rule-violated', 'sales.lead.no-matching-rule', 'No active assignment rule matches this lead (or its team has no active member)');
    const after = await updateVersioned(this.tx.tx, Lead, 'Lead', id, expectedVersion, {
      ownerId: rule.ownerId,
      orgUnitId: rule.orgUnitId,
      assignmentRuleId: rule.ruleId,
      status: 'assigned',
      assignedAt: this.clock.now(),
      lastActivityAt: null,
    });
    await this.audit.record({ actor, recordType: 'sales.lead', recordId: id, action: 'assign', ...auditChange(before, after, ['ownerId', 'status']) });
    await this.assigned(after, before.ownerId, 'rule', rule.ruleId);
    return after;
  }

  @Transactional()
  async qualify(actor: Actor, id: string, expectedVersion: number | undefined): Promise<Lead> {
    const before = await this.load(actor, id);
    assertLeadTransition(before.status, 'qualified');
    const after = await updateVersioned(this.tx.tx, Lead, 'Lead', id, expectedVersion, { status: 'qualified' });
    await this.audit.record({ actor, recordType: 'sales.lead', recordId: id, action: 'qualify', ...auditChange(before, after, ['status']) });
    await this.events.publish('sales.lead.qualified', id, { leadId: id, ownerId: after.ownerId });
    await this.timers.cancel(LEAD_POOL_RETURN, id);
    return after;
  }

  @Transactional()
  async disqualify(actor: Actor, id: string, expectedVersion: number | undefined, reason: string): Promise<Lead> {
    const before = await this.load(actor, id);
    assertLeadTransition(before.status, 'disqualified');
    const after = await updateVersioned(this.tx.tx, Lead, 'Lead', id, expectedVersion, { status: 'disqualified', disqualifyReason: reason });
    await this.audit.record({ actor, recordType: 'sales.lead', recordId: id, action: 'disqualify', ...auditChange(before, after, ['status', 'disqualifyReason']) });
    await this.events.publish('sales.lead.disqualified', id, { leadId: id, reason });
    await this.timers.cancel(LEAD_POOL_RETURN, id);
    return after;
  }

  /**
   * Converts the lead in one transaction: the account (existing `accountId`, or a new one from
   * the lead's company — duplicate-checked unless `force`), a contact, optionally an
   * opportunity, and the lead becomes read-only. Any refusal rolls everything back.
   */
  @Transactional()
  async convert(actor: Actor, id: string, expectedVersion: number | undefined, input: ConvertLeadInput): Promise<ConversionResult> {
    const lead = await this.load(actor, id, { lock: true });
    assertVersion(expectedVersion, lead.version);
    assertLeadTransition(lead.status, 'converted');
    const ownerId = lead.ownerId ?? actor.userId;
    const force = input.force ?? false;
    const personName = [lead.firstName, lead.lastName].filter(Boolean).join(' ');
    const account = input.accountId
      ? await this.access.reference(actor, 'account', Account, 'accountId', input.accountId)
      : await this.accounts.create(
          actor,
          {
            name: lead.company ?? personName,
            type: 'prospect',
            lifecycleStage: 'prospect',
            industry: lead.industry,
            phone: lead.company ? null : lead.phone,
            email: lead.company ? null : lead.email,
            ownerId,
          },
          force,
        );
    const contact = await this.contacts.create(
      actor,
      { accountId: account.id, firstName: lead.firstName, lastName: lead.lastName, title: lead.title, email: lead.email, phone: lead.phone, ownerId },
      force,
    );
    let opportunityId: string | null = null;
    if (input.createOpportunity) {
      const spec = input.opportunity;
      const amountMinor = spec?.amountMinor ?? lead.estimatedAmountMinor;
      const currency = spec?.currency ?? lead.currency;
      if (!spec || amountMinor == null || !currency) {
        throw new DomainError('invalid', 'validation-failed', 'createOpportunity needs opportunity.closeDate, and an amount and currency (from the request or the lead)', {}, [
          { field: 'opportunity', message: 'closeDate, amountMinor and currency are required (amount and currency default to the lead’s estimate)' },
        ]);
      }
      const opportunity = await this.opportunities.create(
        actor,
        {
          name: spec.name ?? `${account.name} – ${lead.productInterest ?? 'opportunity'}`,
          accountId: account.id,
          amountMinor,
          currency,
          closeDate: spec.closeDate,
          salesMethodId: spec.salesMethodId,
          ownerId,
          source: 'lead',
        },
        { lead, salesMethodField: 'opportunity.salesMethodId' },
      );
      opportunityId = opportunity.id;
    }
    const after = await updateVersioned(this.tx.tx, Lead, 'Lead', id, undefined, {
      status: 'converted',
      convertedAt: this.clock.now(),
      convertedAccountId: account.id,
      convertedContactId: contact.id,
      convertedOpportunityId: opportunityId,
    });
    await this.audit.record({
      actor,
      recordType: 'sales.lead',
      recordId: id,
      action: 'convert',
      ...auditChange(lead, after, ['status', 'convertedAccountId', 'convertedContactId', 'convertedOpportunityId']),
    });
    await this.events.publish('sales.lead.converted', id, {
      leadId: id,
      accountId: account.id,
      contactId: contact.id,
      opportunityId,
      existingAccount: !!input.accountId,
      campaignId: lead.campaignId,
    });
    await this.timers.cancel(LEAD_POOL_RETURN, id);
    return { lead: after, accountId: account.id, contactId: contact.id, opportunityId };
  }

  /** Gives an owned open lead back to the pool. */
  @Transactional()
  async release(actor: Actor, id: string, expectedVersion: number | undefined): Promise<Lead> {
    const before = await this.load(actor, id);
    if (!before.ownerId || !OPEN_LEAD_STATUSES.includes(before.status)) {
      throw new DomainError('conflict', 'sales.lead.not-releasable', `Only assigned or working leads can be released (this one is ${before.status})`);
    }
    return this.toPool(actor, before, expectedVersion, 'manual');
  }

  /**
   * Takes a lead from the pool. Safe under concurrency: one conditional UPDATE (`owner_id IS
   * NULL AND status = 'new'`) decides the winner. A loser that can still see the lead (e.g. a
   * manager) gets 409 `sales.lead.already-claimed`; one it is now outside the scope of gets
   * 404 like any record out of scope. The claimer's open-lead count is checked under a
   * transaction lock on the claimer, so parallel claims cannot pass the limit together.
   */
  @Transactional()
  async claim(actor: Actor, id: string, expectedVersion: number | undefined): Promise<Lead> {
    const em = this.tx.tx;
    const limit = Number(await this.settings.get<number>(SALES_SETTINGS.leadClaimLimit));
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`sales.lead-claim:${actor.userId}`]);
    const [{ open }]: Array<{ open: number }> = await em.query(
      `SELECT count(*)::int AS open FROM sales.lead WHERE owner_id = $1 AND status = ANY($2)`,
      [actor.userId, OPEN_LEAD_STATUSES],
    );
    if (open >= limit) {
      throw new DomainError('rule-violated', 'sales.lead.claim-limit-reached', `You already hold ${open} open leads; the limit for claiming is ${limit}`, { limit, open });
    }
    const now = this.clock.now();
    const qb = em
      .createQueryBuilder()
      .update(Lead)
      .set({ ownerId: actor.userId, orgUnitId: actor.orgUnitId, status: 'assigned', assignedAt: now, lastActivityAt: null, version: () => 'version + 1', updatedAt: () => 'now()' } as never)
      .where(`id = :id AND owner_id IS NULL AND status = 'new'`, { id });
    if (expectedVersion !== undefined) qb.andWhere('version = :expectedVersion', { expectedVersion });
    const result = await qb.execute();
    if (result.affected === 0) {
      const current = await em.getRepository(Lead).findOneBy({ id });
      if (!current || (current.ownerId !== null && !(await this.access.canSee(actor, 'lead', current)))) throw new NotFoundError('Lead', id);
      if (current.ownerId === null && current.status === 'new') throw new StaleVersionError(expectedVersion!, current.version);
      throw new DomainError('conflict', 'sales.lead.already-claimed', 'This lead is no longer in the pool');
    }
    const after = await em.getRepository(Lead).findOneByOrFail({ id });
    await this.audit.record({ actor, recordType: 'sales.lead', recordId: id, action: 'claim', before: { ownerId: null, status: 'new' }, after: { ownerId: after.ownerId, status: after.status } });
    await this.assigned(after, null, 'claim', null);
    return after;
  }

  /**
   * Activity was logged on the lead: `assigned` becomes `working`, and the pool-return clock
   * restarts. Runs in the activity's transaction. Converted or closed leads are left alone.
   */
  async recordActivity(actor: Caller, leadId: string, at: Date): Promise<void> {
    const lead = await this.tx.tx.getRepository(Lead).findOneBy({ id: leadId });
    if (!lead || !OPEN_LEAD_STATUSES.includes(lead.status)) return;
    const changes: Partial<Lead> = { lastActivityAt: at };
    if (lead.status === 'assigned') changes.status = 'working';
    const after = await updateVersioned(this.tx.tx, Lead, 'Lead', leadId, undefined, changes);
    if (changes.status) await this.audit.record({ actor, recordType: 'sales.lead', recordId: leadId, action: 'start-working', ...auditChange(lead, after, ['status']) });
    await this.armPoolReturn(leadId, at);
  }

  /**
   * The pool-return timer fired: if the lead is still owned and open with no activity for N
   * days (setting `lead-pool-return-days`), it goes back to the pool; if activity happened in
   * the meantime the timer is re-armed for the new deadline.
   */
  @Transactional()
  async returnIfIdle(leadId: string): Promise<void> {
    const lead = await this.tx.tx.getRepository(Lead).createQueryBuilder('l').setLock('pessimistic_write').where('l.id = :leadId', { leadId }).getOne();
    if (!lead || !lead.ownerId || !OPEN_LEAD_STATUSES.includes(lead.status)) return;
    const days = Number(await this.settings.get<number>(SALES_SETTINGS.leadPoolReturnDays));
    const since = lead.lastActivityAt ?? lead.assignedAt ?? lead.updatedAt;
    const due = new Date(since.getTime() + days * 86_400_000);
    if (due.getTime() > this.clock.now().getTime()) {
      await this.timers.schedule({ kind: LEAD_POOL_RETURN, key: leadId, dueAt: due });
      return;
    }
    await this.toPool(null, lead, undefined, 'inactivity');
  }

  private async toPool(actor: Caller, before: Lead, expectedVersion: number | undefined, reason: 'manual' | 'inactivity'): Promise<Lead> {
    const after = await updateVersioned(this.tx.tx, Lead, 'Lead', before.id, expectedVersion, {
      ownerId: null,
      orgUnitId: null,
      status: 'new',
      assignedAt: null,
      lastActivityAt: null,
    });
    await this.audit.record({ actor, recordType: 'sales.lead', recordId: before.id, action: 'release', ...auditChange(before, after, ['ownerId', 'status']) });
    await this.events.publish('sales.lead.released', before.id, { leadId: before.id, previousOwnerId: before.ownerId!, reason });
    await this.timers.cancel(LEAD_POOL_RETURN, before.id);
    return after;
  }

  private async assigned(lead: Lead, previousOwnerId: string | null, via: 'manual' | 'rule' | 'claim', ruleId: string | null): Promise<void> {
    await this.events.publish('sales.lead.assigned', lead.id, { leadId: lead.id, ownerId: lead.ownerId!, previousOwnerId, via, ruleId });
    await this.armPoolReturn(lead.id, lead.assignedAt ?? this.clock.now());
  }

  private async armPoolReturn(leadId: string, from: Date): Promise<void> {
    const days = Number(await this.settings.get<number>(SALES_SETTINGS.leadPoolReturnDays));
    await this.timers.schedule({ kind: LEAD_POOL_RETURN, key: leadId, dueAt: new Date(from.getTime() + days * 86_400_000) });
  }

  /** Loads a lead the caller may see: in scope, or unowned in the pool. */
  private async load(actor: Caller, id: string, options: { lock?: boolean } = {}): Promise<Lead> {
    const qb = this.tx.tx.getRepository(Lead).createQueryBuilder('l').where('l.id = :id', { id });
    if (options.lock) qb.setLock('pessimistic_write');
    const lead = await qb.getOne();
    const inPool = lead?.ownerId === null && lead.status === 'new';
    if (!lead || (!inPool && !(await this.access.canSee(actor, 'lead', lead)))) throw new NotFoundError('Lead', id);
    return lead;
  }
}

function keysOf(l: Pick<Lead, 'company' | 'firstName' | 'lastName' | 'email' | 'phone'>) {
  return { emailKey: emailKey(l.email), phoneKey: phoneKey(l.phone), searchText: searchText(l.company, l.firstName, l.lastName, l.email, l.phone) };
}
