import { Injectable } from '@nestjs/common';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import { assertVersion, updateVersioned } from '../../../platform/database/versioned-update.js';
import { auditChange } from '../../../platform/audit/audit-diff.js';
import { AuditLog } from '../../../platform/audit/audit-log.js';
import { DomainError } from '../../../platform/errors/domain-error.js';
import { EventPublisher } from '../../../platform/events/event-publisher.js';
import { paginate, type Page, type PageQuery } from '../../../platform/http/pagination.js';
import { hasPermission, type Actor } from '../../../platform/identity/domain/actor.js';
import { DataScopeService } from '../../../platform/identity/application/data-scope.js';
import { CostCentre } from '../domain/cost-centre.entity.js';
import { assertLimits, costCentreStatus, usedOf, warningLineFor, type CostCentreStatus } from '../domain/cost-centre.rules.js';
import { LedgerEntry } from '../domain/ledger-entry.entity.js';
import type { CostCentreCapChanged, CostCentreOpened } from '../public/events.js';
import { CodeCounter } from './code-counter.service.js';
import { CostCentreLedger } from './cost-centre-ledger.service.js';
import { FinanceAccess } from './finance-access.js';
import { loadForUpdate, loadInScope } from './records.js';

export const COST_CENTRE_RESOURCE = 'finance.cost-centre';
export const CHANGE_CAP_PERMISSION = 'finance.cost-centre:change-cap';

export interface OpenCostCentre {
  name: string;
  subjectType: string;
  subjectId: string | null;
  ownerId: string | null;
  currency: string;
  capMinor: number;
  warningLineMinor?: number;
}

export interface CostCentreChanges {
  name?: string;
  ownerId?: string | null;
  capMinor?: number;
  warningLineMinor?: number;
}

export interface CostCentreFilter extends PageQuery {
  status?: CostCentreStatus;
  subjectType?: string;
  subjectId?: string;
  ownerId?: string;
}

const DEFAULT_WARNING_PCT = 80;
const snapshot = (c: CostCentre) => ({ name: c.name, ownerId: c.ownerId, capMinor: c.capMinor, warningLineMinor: c.warningLineMinor, status: c.status });

@Injectable()
export class CostCentreService {
  constructor(
    private readonly tx: Tx,
    private readonly codes: CodeCounter,
    private readonly ledger: CostCentreLedger,
    private readonly events: EventPublisher,
    private readonly audit: AuditLog,
    private readonly dataScope: DataScopeService,
    private readonly access: FinanceAccess,
  ) {}

  /**
   * Opens a centre by hand. Its owner must be an active user inside the caller's
   * `finance.cost-centre` scope, and its subject a record the caller sees (422 on the field
   * otherwise, the same for a missing and an invisible one).
   */
  @Transactional()
  async create(actor: Actor, input: OpenCostCentre): Promise<CostCentre> {
    if (input.ownerId) await this.access.assertOwner(actor, input.ownerId);
    if (input.subjectId) await this.access.assertSubject(actor, input.subjectType, input.subjectId);
    return this.open(actor, input, 'manual', null);
  }

  /** Opens a centre (by hand, or from another context's event with `actor` null). */
  @Transactional()
  async open(actor: Actor | null, input: OpenCostCentre, openedBy: 'manual' | 'event', sourceEventId: string | null): Promise<CostCentre> {
    const warningLineMinor = input.warningLineMinor ?? warningLineFor(input.capMinor, DEFAULT_WARNING_PCT);
    assertLimits(input.capMinor, warningLineMinor);
    const repo = this.tx.tx.getRepository(CostCentre);
    if (input.subjectId && (await repo.existsBy({ subjectType: input.subjectType, subjectId: input.subjectId }))) {
      throw new DomainError('conflict', 'finance.cost-centre.subject-has-centre', `${input.subjectType} ${input.subjectId} already has a cost centre`, {
        subjectType: input.subjectType,
        subjectId: input.subjectId,
      });
    }
    const figures = { capMinor: input.capMinor, warningLineMinor, spentMinor: 0, reservedMinor: 0 };
    const centre = await repo.save(
      repo.create({
        code: await this.codes.next('CC'),
        name: input.name,
        subjectType: input.subjectType,
        subjectId: input.subjectId,
        ownerId: input.ownerId,
        currency: input.currency,
        ...figures,
        incomeMinor: 0,
        status: costCentreStatus(figures),
        openedBy,
        sourceEventId,
      }),
    );
    const payload: CostCentreOpened = {
      costCentreId: centre.id,
      code: centre.code,
      name: centre.name,
      subjectType: centre.subjectType,
      subjectId: centre.subjectId,
      ownerId: centre.ownerId,
      currency: centre.currency,
      capMinor: centre.capMinor,
      warningLineMinor: centre.warningLineMinor,
      openedBy,
    };
    await this.events.publish({ type: 'finance.cost-centre.opened', aggregateType: COST_CENTRE_RESOURCE, aggregateId: centre.id, payload });
    await this.audit.record({ actor, recordType: COST_CENTRE_RESOURCE, recordId: centre.id, action: 'create', after: { ...snapshot(centre), currency: centre.currency, subjectType: centre.subjectType, subjectId: centre.subjectId } });
    return centre;
  }

  get(actor: Actor, id: string): Promise<CostCentre> {
    return loadInScope(this.tx.tx, CostCentre, 'Cost centre', id, { dataScope: this.dataScope, actor, resource: COST_CENTRE_RESOURCE });
  }

  async list(actor: Actor, query: CostCentreFilter): Promise<Page<CostCentre>> {
    const qb = this.tx.tx.getRepository(CostCentre).createQueryBuilder('c');
    await this.dataScope.apply(qb, actor, COST_CENTRE_RESOURCE, { owner: 'ownerId' });
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (query.subjectType) qb.andWhere('c.subjectType = :subjectType', { subjectType: query.subjectType });
    if (query.subjectId) qb.andWhere('c.subjectId = :subjectId', { subjectId: query.subjectId });
    if (query.ownerId) qb.andWhere('c.ownerId = :ownerId', { ownerId: query.ownerId });
    return paginate(qb, query, { sortable: { createdAt: 'createdAt', code: 'code', name: 'name' }, defaultSort: '-createdAt' });
  }

  /**
   * Name, owner, cap, warning line. Changing the cap needs `finance.cost-centre:change-cap`
   * (403 otherwise), may not go below what is spent + reserved (422), and is audited as
   * `change-cap` and published as `finance.cost-centre.cap-changed`.
   */
  @Transactional()
  async update(actor: Actor, id: string, expectedVersion: number | undefined, changes: CostCentreChanges): Promise<CostCentre> {
    const em = this.tx.tx;
    const centre = await loadForUpdate(em, CostCentre, 'Cost centre', id, { dataScope: this.dataScope, actor, resource: COST_CENTRE_RESOURCE });
    assertVersion(expectedVersion, centre.version);
    if (centre.status === 'closed') throw new DomainError('conflict', 'finance.cost-centre.closed', `Cost centre ${centre.code} is closed`);
    if (changes.ownerId && changes.ownerId !== centre.ownerId) await this.access.assertOwner(actor, changes.ownerId);
    const capChanged = changes.capMinor !== undefined && changes.capMinor !== centre.capMinor;
    if (capChanged && !hasPermission(actor, CHANGE_CAP_PERMISSION)) {
      throw new DomainError('forbidden', 'permission-denied', `Changing the cap needs the permission ${CHANGE_CAP_PERMISSION}`, { permission: CHANGE_CAP_PERMISSION });
    }
    const capMinor = changes.capMinor ?? centre.capMinor;
    const warningLineMinor = changes.warningLineMinor ?? (capChanged && centre.warningLineMinor > capMinor ? capMinor : centre.warningLineMinor);
    assertLimits(capMinor, warningLineMinor, usedOf(centre));
    const after = { capMinor, warningLineMinor, spentMinor: centre.spentMinor, reservedMinor: centre.reservedMinor };
    const updated = await updateVersioned(em, CostCentre, 'Cost centre', id, centre.version, {
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.ownerId !== undefined ? { ownerId: changes.ownerId } : {}),
      capMinor,
      warningLineMinor,
      status: costCentreStatus(after),
    });
    const limitsChanged = capChanged || warningLineMinor !== centre.warningLineMinor;
    if (limitsChanged) {
      const payload: CostCentreCapChanged = {
        costCentreId: id,
        code: centre.code,
        ownerId: updated.ownerId,
        currency: centre.currency,
        previousCapMinor: centre.capMinor,
        capMinor,
        previousWarningLineMinor: centre.warningLineMinor,
        warningLineMinor,
      };
      await this.events.publish({ type: 'finance.cost-centre.cap-changed', aggregateType: COST_CENTRE_RESOURCE, aggregateId: id, payload });
      await this.ledger.publishCrossings(updated, centre, after);
    }
    await this.audit.record({ actor, recordType: COST_CENTRE_RESOURCE, recordId: id, action: capChanged ? 'change-cap' : 'update', ...auditChange(snapshot(centre), snapshot(updated)) });
    return updated;
  }

  /** Closes a centre: no new reservations or incomes; pending reservations can still be posted or released. */
  @Transactional()
  async close(actor: Actor, id: string, expectedVersion: number | undefined): Promise<CostCentre> {
    const em = this.tx.tx;
    const centre = await loadForUpdate(em, CostCentre, 'Cost centre', id, { dataScope: this.dataScope, actor, resource: COST_CENTRE_RESOURCE });
    assertVersion(expectedVersion, centre.version);
    if (centre.status === 'closed') throw new DomainError('conflict', 'finance.cost-centre.closed', `Cost centre ${centre.code} is already closed`);
    const updated = await updateVersioned(em, CostCentre, 'Cost centre', id, centre.version, { status: 'closed' });
    await this.events.publish({ type: 'finance.cost-centre.closed', aggregateType: COST_CENTRE_RESOURCE, aggregateId: id, payload: { costCentreId: id, code: centre.code, ownerId: centre.ownerId } });
    await this.audit.record({ actor, recordType: COST_CENTRE_RESOURCE, recordId: id, action: 'close', before: { status: centre.status }, after: { status: 'closed' } });
    return updated;
  }

  async ledgerOf(actor: Actor, id: string, query: PageQuery): Promise<Page<LedgerEntry>> {
    await this.get(actor, id);
    const qb = this.tx.tx.getRepository(LedgerEntry).createQueryBuilder('l').where('l.costCentreId = :id', { id });
    return paginate(qb, query, { sortable: { createdAt: 'createdAt' }, defaultSort: 'createdAt' });
  }
}
