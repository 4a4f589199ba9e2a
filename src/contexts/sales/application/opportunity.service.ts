import { Injectable } from '@nestjs/common';
import { auditChange } from '../../../platform/audit/audit-diff.js';
import { AuditLog } from '../../../platform/audit/audit-log.js';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import { insertReturning } from '../../../platform/database/rows.js';
import { assertVersion, updateVersioned } from '../../../platform/database/versioned-update.js';
import { DomainError, NotFoundError } from '../../../platform/errors/domain-error.js';
import { paginateRendered, type PageQuery } from '../../../platform/http/pagination.js';
import type { RecordView, RenderedJson } from '../../../platform/http/record-view.js';
import type { Actor } from '../../../platform/identity/domain/actor.js';
import { unknownReference } from '../../../platform/identity/application/references.js';
import { isUuid } from '../../../platform/database/ids.js';
import { Clock } from '../../../platform/scheduling/clock.js';
import { Account, type CustomFields } from '../domain/account.entity.js';
import { Contact } from '../domain/contact.entity.js';
import { Lead } from '../domain/lead.entity.js';
import { Opportunity } from '../domain/opportunity.entity.js';
import {
  Competitor, OpportunityCompetitor, OpportunityContactRole, OpportunityStageChange, type Attitude, type ContactRole,
} from '../domain/opportunity-parts.entity.js';
import { assertClose, assertOpen, assertReopen, assertStageMove, daysBetween, firstStage, type OpportunityStatus } from '../domain/opportunity-stage.rules.js';
import { newId } from '../../../platform/database/base.entity.js';
import { changedFields, present, refuseNulls, snapshot } from './changes.js';
import { filterByCustomFields } from './custom-fields.js';
import { SalesAccess, type Caller } from './sales-access.js';
import { containsPattern, SalesEventPublisher } from './sales-events.js';
import { SalesMethodService } from './sales-method.service.js';

export interface OpportunityInput {
  name: string;
  accountId: string;
  amountMinor: number;
  currency: string;
  closeDate: string;
  salesMethodId?: string | null;
  probability?: number;
  ownerId?: string | null;
  source?: string | null;
  leadId?: string | null;
  campaignId?: string | null;
  nextStep?: string | null;
  description?: string | null;
  customFields?: CustomFields;
  sourceEventId?: string | null;
}

export type OpportunityChanges = Partial<
  Pick<OpportunityInput, 'name' | 'amountMinor' | 'currency' | 'closeDate' | 'probability' | 'ownerId' | 'source' | 'campaignId' | 'nextStep' | 'description' | 'customFields'>
>;

export interface OpportunityFilter extends PageQuery {
  q?: string;
  accountId?: string;
  ownerId?: string;
  orgUnitId?: string;
  status?: OpportunityStatus;
  salesMethodId?: string;
  stageKey?: string;
  closeFrom?: string;
  closeTo?: string;
  customFields?: CustomFields;
}

/** Marketing's campaigns: a record type of another context (registered once Marketing is built; until then every campaign id a caller sends is unknown). */
export const CAMPAIGN = 'marketing.campaign';
const CONTACT_NOT_AT_ACCOUNT = 'sales.opportunity.contact-not-at-account';

const REQUIRED = ['name', 'amountMinor', 'currency', 'closeDate', 'probability', 'ownerId', 'customFields'];

/** Opportunities: creation on a sales method, edits, stage moves, win/lose/reopen, competitors and contact roles. */
@Injectable()
export class OpportunityService {
  constructor(
    private readonly tx: Tx,
    private readonly access: SalesAccess,
    private readonly events: SalesEventPublisher,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly methods: SalesMethodService,
  ) {}

  /**
   * Creates an opportunity at the first open stage of its sales method (the default method when
   * none is named). Owner: the named one, else the caller, else (system) the account's owner.
   * Every id it refers to is checked first (422 naming the field; missing = out of scope).
   * `origin`: the lead being converted (already loaded in the caller's scope) — the opportunity's
   * `leadId` and `campaignId` are taken from it, and refusals of the sales method name the convert
   * request's field (`opportunity.salesMethodId`).
   */
  @Transactional()
  async create(actor: Caller, input: OpportunityInput, origin?: { lead: Lead; salesMethodField: string }): Promise<Opportunity> {
    const account = await this.access.reference(actor, 'account', Account, 'accountId', input.accountId);
    const method = await this.methods.resolve(input.salesMethodId, origin?.salesMethodField);
    if (origin) {
      // Converted from a lead the caller holds: the lead and its campaign come from the lead itself.
      Object.assign(input, { leadId: origin.lead.id, campaignId: origin.lead.campaignId });
    } else {
      if (input.leadId) await this.access.reference(actor, 'lead', Lead, 'leadId', input.leadId);
      if (input.campaignId && actor) await this.access.assertForeign(actor, CAMPAIGN, input.campaignId, 'campaignId');
    }
    const stage = firstStage(method);
    const owner = await this.access.resolveOwner(actor, 'opportunity', input.ownerId ?? actor?.userId ?? account.ownerId);
    const now = this.clock.now();
    const repo = this.tx.tx.getRepository(Opportunity);
    const opportunity = repo.create({
      source: null,
      leadId: null,
      campaignId: null,
      nextStep: null,
      description: null,
      customFields: {},
      sourceEventId: null,
      ...present(input),
      ...owner,
      salesMethodId: method.method.id,
      stageKey: stage.key,
      stageEnteredAt: now,
      probability: input.probability ?? stage.probability,
      status: 'open',
    });
    const created = await insertReturning(this.tx.tx, Opportunity, opportunity);
    await this.recordStageChange(created.id, null, stage.key, now, now, actor);
    await this.audit.record({ actor, recordType: 'sales.opportunity', recordId: created.id, action: 'create', after: snapshot(created) });
    await this.events.publish('sales.opportunity.created', created.id, {
      opportunityId: created.id,
      accountId: created.accountId,
      name: created.name,
      amountMinor: created.amountMinor,
      currency: created.currency,
      salesMethodId: created.salesMethodId,
      stageKey: created.stageKey,
      probability: created.probability,
      closeDate: created.closeDate,
      ownerId: created.ownerId,
      orgUnitId: created.orgUnitId,
      leadId: created.leadId,
      campaignId: created.campaignId,
    });
    return created;
  }

  get(actor: Caller, id: string): Promise<Opportunity> {
    return this.access.load(actor, 'opportunity', Opportunity, 'Opportunity', id);
  }

  /** {@link get}, rendered through `view` by PostgreSQL (the body of GET /opportunities/{id}). */
  getRendered(actor: Actor, id: string, view: RecordView<Opportunity, unknown>): Promise<RenderedJson> {
    return this.access.loadRendered(actor, 'opportunity', view, 'Opportunity', id);
  }

  /** A page of the opportunities in the actor's scope matching the filter, rendered through `view`. */
  async list(actor: Actor, filter: OpportunityFilter, view: RecordView<Opportunity, unknown>): Promise<RenderedJson> {
    const qb = this.tx.tx.getRepository(Opportunity).createQueryBuilder('o');
    filterByCustomFields(qb, filter.customFields);
    for (const field of ['accountId', 'ownerId', 'orgUnitId', 'status', 'salesMethodId', 'stageKey'] as const) {
      if (filter[field] !== undefined) qb.andWhere(`o.${field} = :${field}`, { [field]: filter[field] });
    }
    if (filter.closeFrom) qb.andWhere('o.closeDate >= :closeFrom', { closeFrom: filter.closeFrom });
    if (filter.closeTo) qb.andWhere('o.closeDate <= :closeTo', { closeTo: filter.closeTo });
    if (filter.q) qb.andWhere(`lower(o.name) LIKE :q`, { q: containsPattern(filter.q) });
    await this.access.narrow(qb, actor, 'opportunity');
    return paginateRendered(qb, filter, { sortable: { closeDate: 'closeDate', createdAt: 'createdAt', updatedAt: 'updatedAt' }, defaultSort: 'closeDate' }, view);
  }

  /** Edits fields of an open opportunity (closed ones are read-only until reopened). */
  @Transactional()
  async update(actor: Actor, id: string, expectedVersion: number | undefined, changes: OpportunityChanges): Promise<Opportunity> {
    refuseNulls(changes, REQUIRED);
    const before = await this.get(actor, id);
    assertOpen(before.status, 'changed');
    const fields = changedFields(before, changes as Partial<Opportunity>);
    const patch: Partial<Opportunity> = Object.fromEntries(fields.map((f) => [f, (changes as Partial<Opportunity>)[f]]));
    if (fields.includes('ownerId')) Object.assign(patch, await this.access.resolveOwner(actor, 'opportunity', patch.ownerId));
    if (patch.campaignId) await this.access.assertForeign(actor, CAMPAIGN, patch.campaignId, 'campaignId');
    const after = await updateVersioned(this.tx.tx, Opportunity, 'Opportunity', id, expectedVersion, patch);
    if (fields.length) {
      await this.audit.record({ actor, recordType: 'sales.opportunity', recordId: id, action: 'update', ...auditChange(before, after, fields) });
      await this.events.publish('sales.opportunity.updated', id, {
        opportunityId: id,
        changed: fields,
        amountMinor: after.amountMinor,
        currency: after.currency,
        closeDate: after.closeDate,
        ownerId: after.ownerId,
      });
    }
    return after;
  }

  /** Moves an open opportunity to another open stage, as the method allows. */
  @Transactional()
  async changeStage(actor: Actor, id: string, expectedVersion: number | undefined, stageKey: string): Promise<Opportunity> {
    const before = await this.get(actor, id);
    const method = await this.methods.get(before.salesMethodId);
    const target = assertStageMove(method, before.status, before.stageKey, stageKey);
    const now = this.clock.now();
    const after = await updateVersioned(this.tx.tx, Opportunity, 'Opportunity', id, expectedVersion, {
      stageKey: target.key,
      probability: target.probability,
      stageEnteredAt: now,
    });
    const days = await this.recordStageChange(id, before.stageKey, target.key, before.stageEnteredAt, now, actor);
    await this.audit.record({ actor, recordType: 'sales.opportunity', recordId: id, action: 'change-stage', ...auditChange(before, after, ['stageKey', 'probability']) });
    await this.events.publish('sales.opportunity.stage-changed', id, {
      opportunityId: id,
      fromStageKey: before.stageKey,
      toStageKey: target.key,
      probability: target.probability,
      daysInStage: days,
    });
    return after;
  }

  @Transactional()
  async win(actor: Actor, id: string, expectedVersion: number | undefined): Promise<Opportunity> {
    const after = await this.close(actor, id, expectedVersion, 'won', null);
    await this.events.publish('sales.opportunity.won', id, {
      opportunityId: id,
      accountId: after.accountId,
      amountMinor: after.amountMinor,
      currency: after.currency,
      ownerId: after.ownerId,
      campaignId: after.campaignId,
      closedAt: after.closedAt!.toISOString(),
    });
    return after;
  }

  @Transactional()
  async lose(actor: Actor, id: string, expectedVersion: number | undefined, reason: string): Promise<Opportunity> {
    const after = await this.close(actor, id, expectedVersion, 'lost', reason);
    await this.events.publish('sales.opportunity.lost', id, {
      opportunityId: id,
      accountId: after.accountId,
      amountMinor: after.amountMinor,
      currency: after.currency,
      ownerId: after.ownerId,
      reason,
      closedAt: after.closedAt!.toISOString(),
    });
    return after;
  }

  /** Reopens a lost opportunity at `stageKey`, or the stage it was lost in. */
  @Transactional()
  async reopen(actor: Actor, id: string, expectedVersion: number | undefined, stageKey?: string): Promise<Opportunity> {
    const before = await this.get(actor, id);
    const method = await this.methods.get(before.salesMethodId);
    const target = assertReopen(method, before.status, before.lastOpenStageKey, stageKey);
    const now = this.clock.now();
    const after = await updateVersioned(this.tx.tx, Opportunity, 'Opportunity', id, expectedVersion, {
      status: 'open',
      stageKey: target.key,
      probability: target.probability,
      stageEnteredAt: now,
      closedAt: null,
      lossReason: null,
    });
    await this.recordStageChange(id, before.stageKey, target.key, before.stageEnteredAt, now, actor);
    await this.audit.record({ actor, recordType: 'sales.opportunity', recordId: id, action: 'reopen', ...auditChange(before, after, ['status', 'stageKey', 'lossReason']) });
    await this.events.publish('sales.opportunity.reopened', id, { opportunityId: id, stageKey: target.key });
    return after;
  }

  async stageHistory(actor: Actor, id: string): Promise<OpportunityStageChange[]> {
    await this.get(actor, id);
    return this.tx.tx.getRepository(OpportunityStageChange).find({ where: { opportunityId: id }, order: { changedAt: 'ASC', id: 'ASC' } });
  }

  async competitors(actor: Actor, id: string): Promise<Array<OpportunityCompetitor & { name: string }>> {
    await this.get(actor, id);
    return this.tx.tx.query(
      `SELECT oc.opportunity_id AS "opportunityId", oc.competitor_id AS "competitorId", c.name, oc.strengths, oc.weaknesses, oc.created_at AS "createdAt"
         FROM sales.opportunity_competitor oc JOIN sales.competitor c ON c.id = oc.competitor_id
        WHERE oc.opportunity_id = $1 ORDER BY c.name, c.id`,
      [id],
    );
  }

  /** Adds (or updates) a competitor on an opportunity with its strengths and weaknesses there. */
  @Transactional()
  async putCompetitor(actor: Actor, id: string, input: { competitorId: string; strengths?: string | null; weaknesses?: string | null }): Promise<OpportunityCompetitor & { name: string }> {
    await this.get(actor, id);
    const competitor = isUuid(input.competitorId) ? await this.tx.tx.getRepository(Competitor).findOneBy({ id: input.competitorId }) : null;
    if (!competitor) throw unknownReference('competitorId', 'sales.competitor', input.competitorId);
    const row = { opportunityId: id, competitorId: competitor.id, strengths: input.strengths ?? null, weaknesses: input.weaknesses ?? null, createdAt: this.clock.now() };
    await this.tx.tx.getRepository(OpportunityCompetitor).upsert(row, ['opportunityId', 'competitorId']);
    await this.audit.record({ actor, recordType: 'sales.opportunity', recordId: id, action: 'add-competitor', after: { ...row } });
    return { ...row, name: competitor.name };
  }

  @Transactional()
  async removeCompetitor(actor: Actor, id: string, competitorId: string): Promise<void> {
    await this.get(actor, id);
    const result = await this.tx.tx.getRepository(OpportunityCompetitor).delete({ opportunityId: id, competitorId });
    if (!result.affected) throw new NotFoundError('Competitor on this opportunity', competitorId);
    await this.audit.record({ actor, recordType: 'sales.opportunity', recordId: id, action: 'remove-competitor', before: { competitorId } });
  }

  async contactRoles(actor: Actor, id: string): Promise<OpportunityContactRole[]> {
    await this.get(actor, id);
    return this.tx.tx.getRepository(OpportunityContactRole).find({ where: { opportunityId: id }, order: { createdAt: 'ASC', contactId: 'ASC' } });
  }

  /** Sets a contact's role and attitude on the opportunity; the contact must be at the opportunity's account. */
  @Transactional()
  async putContactRole(actor: Actor, id: string, input: { contactId: string; role: ContactRole; attitude: Attitude; note?: string | null }): Promise<OpportunityContactRole> {
    const opportunity = await this.get(actor, id);
    // A missing contact, one the caller cannot see and one at another account: one answer.
    const contact = await this.access.reference(actor, 'contact', Contact, 'contactId', input.contactId, { code: CONTACT_NOT_AT_ACCOUNT }).catch(() => null);
    if (!contact || contact.accountId !== opportunity.accountId) {
      throw new DomainError('rule-violated', CONTACT_NOT_AT_ACCOUNT, 'The contact must be a visible contact of the opportunity’s account', {}, [
        { field: 'contactId', message: 'no such contact at the opportunity’s account' },
      ]);
    }
    const row = { opportunityId: id, contactId: contact.id, role: input.role, attitude: input.attitude, note: input.note ?? null, createdAt: this.clock.now() };
    await this.tx.tx.getRepository(OpportunityContactRole).upsert(row, ['opportunityId', 'contactId']);
    await this.audit.record({ actor, recordType: 'sales.opportunity', recordId: id, action: 'set-contact-role', after: { ...row } });
    return row;
  }

  @Transactional()
  async removeContactRole(actor: Actor, id: string, contactId: string): Promise<void> {
    await this.get(actor, id);
    // A contact the caller cannot see has no role they could remove: 404 like a missing one.
    const visible = await this.access.reference(actor, 'contact', Contact, 'contactId', contactId).then(() => true, () => false);
    if (!visible) throw new NotFoundError('Contact role on this opportunity', contactId);
    const result = await this.tx.tx.getRepository(OpportunityContactRole).delete({ opportunityId: id, contactId });
    if (!result.affected) throw new NotFoundError('Contact role on this opportunity', contactId);
    await this.audit.record({ actor, recordType: 'sales.opportunity', recordId: id, action: 'remove-contact-role', before: { contactId } });
  }

  private async close(actor: Actor, id: string, expectedVersion: number | undefined, outcome: 'won' | 'lost', reason: string | null): Promise<Opportunity> {
    const before = await this.get(actor, id);
    assertVersion(expectedVersion, before.version);
    const method = await this.methods.get(before.salesMethodId);
    const stage = assertClose(method, before.status, outcome, before.stageKey);
    const now = this.clock.now();
    const after = await updateVersioned(this.tx.tx, Opportunity, 'Opportunity', id, expectedVersion, {
      status: outcome,
      stageKey: stage.key,
      probability: stage.probability,
      stageEnteredAt: now,
      closedAt: now,
      lossReason: reason,
      lastOpenStageKey: before.stageKey,
    });
    await this.recordStageChange(id, before.stageKey, stage.key, before.stageEnteredAt, now, actor);
    await this.audit.record({ actor, recordType: 'sales.opportunity', recordId: id, action: outcome === 'won' ? 'win' : 'lose', ...auditChange(before, after, ['status', 'stageKey', 'lossReason']) });
    return after;
  }

  private async recordStageChange(opportunityId: string, from: string | null, to: string, enteredAt: Date, at: Date, actor: Caller): Promise<number> {
    const days = from === null ? 0 : daysBetween(enteredAt, at);
    await this.tx.tx.getRepository(OpportunityStageChange).insert({
      id: newId(),
      opportunityId,
      fromStageKey: from,
      toStageKey: to,
      changedAt: at,
      changedBy: actor?.userId ?? null,
      daysInStage: days,
    });
    return days;
  }
}

export interface CompetitorInput {
  name: string;
  website?: string | null;
  strengths?: string | null;
  weaknesses?: string | null;
}
