import { Injectable, Logger } from '@nestjs/common';
import { AuditLog } from '../../../platform/audit/audit-log.js';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import { assertVersion, updateVersioned } from '../../../platform/database/versioned-update.js';
import { DomainError } from '../../../platform/errors/domain-error.js';
import { EventPublisher } from '../../../platform/events/event-publisher.js';
import { paginate, type Page, type PageQuery } from '../../../platform/http/pagination.js';
import type { Actor } from '../../../platform/identity/domain/actor.js';
import { DataScopeService } from '../../../platform/identity/application/data-scope.js';
import { Clock } from '../../../platform/scheduling/clock.js';
import type { ApprovalDecided, ApprovalRequested, ApprovalWithdrawn } from '../../workflow/public/approval-contract.js';
import { Advance } from '../domain/advance.entity.js';
import { assertAdvanceTransition, type AdvanceStatus } from '../domain/advance.rules.js';
import { CostCentre } from '../domain/cost-centre.entity.js';
import { ADVANCE_SUBJECT, type AdvanceEvent } from '../public/events.js';
import { CodeCounter } from './code-counter.service.js';
import { CostCentreLedger, type LedgerSourceRef } from './cost-centre-ledger.service.js';
import { FinanceAccess } from './finance-access.js';
import { decisionFields, isoDate, loadForUpdate, loadInScope } from './records.js';

export const ADVANCE_RESOURCE = 'finance.advance';

export interface AdvanceData {
  costCentreId: string;
  amountMinor: number;
  currency: string;
  purpose: string;
}

export interface AdvanceFilter extends PageQuery {
  status?: AdvanceStatus;
  costCentreId?: string;
  ownerId?: string;
}

/**
 * Advances ("预支"): draft → submitted (amount reserved, approval requested) → approved →
 * paid by finance (the reservation becomes spending), or rejected / recalled (released).
 */
@Injectable()
export class AdvanceService {
  private readonly logger = new Logger(AdvanceService.name);

  constructor(
    private readonly tx: Tx,
    private readonly codes: CodeCounter,
    private readonly ledger: CostCentreLedger,
    private readonly events: EventPublisher,
    private readonly audit: AuditLog,
    private readonly dataScope: DataScopeService,
    private readonly clock: Clock,
    private readonly access: FinanceAccess,
  ) {}

  @Transactional()
  async create(actor: Actor, data: AdvanceData): Promise<Advance> {
    await this.access.chargeableCentre(actor, data.costCentreId, data.currency);
    const repo = this.tx.tx.getRepository(Advance);
    const advance = await repo.save(
      repo.create({
        code: await this.codes.next('ADV'),
        costCentreId: data.costCentreId,
        ownerId: actor.userId,
        ownerOrgUnitId: actor.orgUnitId,
        amountMinor: data.amountMinor,
        currency: data.currency,
        purpose: data.purpose,
        status: 'draft',
        approvalId: null, submittedAt: null, decidedAt: null, decidedBy: null, decisionComment: null, paidAt: null, paidBy: null, paymentRef: null, approverIds: [],
      }),
    );
    await this.audit.record({ actor, recordType: ADVANCE_RESOURCE, recordId: advance.id, action: 'create', after: { ...data, status: 'draft' } });
    return advance;
  }

  get(actor: Actor, id: string): Promise<Advance> {
    return loadInScope(this.tx.tx, Advance, 'Advance', id, { dataScope: this.dataScope, actor, resource: ADVANCE_RESOURCE });
  }

  async list(actor: Actor, query: AdvanceFilter): Promise<Page<Advance>> {
    const qb = this.tx.tx.getRepository(Advance).createQueryBuilder('a');
    await this.dataScope.apply(qb, actor, ADVANCE_RESOURCE, { owner: 'ownerId' });
    if (query.status) qb.andWhere('a.status = :status', { status: query.status });
    if (query.costCentreId) qb.andWhere('a.costCentreId = :costCentreId', { costCentreId: query.costCentreId });
    if (query.ownerId) qb.andWhere('a.ownerId = :ownerId', { ownerId: query.ownerId });
    return paginate(qb, query, { sortable: { createdAt: 'createdAt', code: 'code', updatedAt: 'updatedAt' }, defaultSort: '-createdAt' });
  }

  /** Reserves the amount on the cost centre (422 `cost-centre-cap-exceeded` when it does not fit) and requests approval. */
  @Transactional()
  async submit(actor: Actor, id: string, expectedVersion: number | undefined): Promise<Advance> {
    const em = this.tx.tx;
    const advance = await this.lock(actor, id);
    assertVersion(expectedVersion, advance.version);
    assertAdvanceTransition(advance.status, 'submitted');
    const now = this.clock.now();
    const updated = await updateVersioned(em, Advance, 'Advance', id, advance.version, {
      status: 'submitted', submittedAt: now, approvalId: null, decidedAt: null, decidedBy: null, decisionComment: null,
    });
    const centre = await em.getRepository(CostCentre).findOneByOrFail({ id: advance.costCentreId });
    const request: ApprovalRequested = {
      subjectType: ADVANCE_SUBJECT,
      subjectId: id,
      subjectCode: advance.code,
      title: advance.purpose,
      requesterId: advance.ownerId,
      requesterOrgUnitId: advance.ownerId === actor.userId ? actor.orgUnitId : advance.ownerOrgUnitId,
      amountMinor: advance.amountMinor,
      currency: advance.currency,
      attributes: { kind: 'advance', category: 'advance', costCentreId: centre.id, costCentreCode: centre.code, costCentreSubjectType: centre.subjectType },
    };
    await this.events.publishAll([
      { type: 'finance.advance.submitted', aggregateType: ADVANCE_SUBJECT, aggregateId: id, payload: this.payload(updated) },
      { type: 'finance.advance.approval-requested', aggregateType: ADVANCE_SUBJECT, aggregateId: id, payload: request },
    ]);
    await this.audit.record({ actor, recordType: ADVANCE_RESOURCE, recordId: id, action: 'submit', before: { status: advance.status }, after: { status: 'submitted' } });
    const disclose = await this.access.seesCentre(actor, centre);
    // Last, so the cost-centre row stays locked only until the commit that follows.
    await this.ledger.reserve(advance.costCentreId, advance.currency, this.source(advance), { amountMinor: advance.amountMinor, category: 'advance', occurredOn: isoDate(now) }, actor.userId, disclose);
    return updated;
  }

  /** The requester withdraws a pending advance; nobody else (403 `finance.advance.not-requester`) unless they hold `finance.advance:recall-any`. */
  @Transactional()
  async recall(actor: Actor, id: string, expectedVersion: number | undefined, reason?: string): Promise<Advance> {
    const advance = await this.lock(actor, id);
    this.access.assertMayRecall(actor, ADVANCE_RESOURCE, advance.ownerId, 'finance.advance.not-requester');
    assertVersion(expectedVersion, advance.version);
    const updated = await this.release(advance, 'recalled', actor, null);
    const withdrawn: ApprovalWithdrawn = { subjectType: ADVANCE_SUBJECT, subjectId: id, requesterId: advance.ownerId, ...(reason ? { reason } : {}) };
    await this.events.publish({ type: 'finance.advance.approval-withdrawn', aggregateType: ADVANCE_SUBJECT, aggregateId: id, payload: withdrawn });
    return updated;
  }

  /**
   * Finance pays an approved advance out: the reservation becomes spending. Segregation of
   * duties (403): not the requester (`finance.advance.pay-own`), not anyone who took part in its
   * approval (`finance.advance.pay-approver`).
   */
  @Transactional()
  async pay(actor: Actor, id: string, expectedVersion: number | undefined, paymentRef: string | null): Promise<Advance> {
    const advance = await this.lock(actor, id);
    assertVersion(expectedVersion, advance.version);
    if (advance.ownerId === actor.userId) {
      throw new DomainError('forbidden', 'finance.advance.pay-own', 'Nobody pays out their own advance: another finance user must do it');
    }
    if (advance.approverIds.includes(actor.userId) || advance.decidedBy === actor.userId) {
      throw new DomainError('forbidden', 'finance.advance.pay-approver', 'Whoever approved an advance does not pay it out: another finance user must do it');
    }
    assertAdvanceTransition(advance.status, 'paid');
    const now = this.clock.now();
    await this.ledger.post(advance.costCentreId, this.source(advance), [{ amountMinor: advance.amountMinor, category: 'advance', occurredOn: isoDate(now) }], actor.userId);
    const updated = await updateVersioned(this.tx.tx, Advance, 'Advance', id, advance.version, { status: 'paid', paidAt: now, paidBy: actor.userId, paymentRef });
    await this.events.publish({ type: 'finance.advance.paid', aggregateType: ADVANCE_SUBJECT, aggregateId: id, payload: { ...this.payload(updated), paidBy: actor.userId } });
    await this.audit.record({ actor, recordType: ADVANCE_RESOURCE, recordId: id, action: 'pay', before: { status: advance.status }, after: { status: 'paid', paymentRef } });
    return updated;
  }

  @Transactional()
  async onApprovalStarted(id: string, approvalId: string): Promise<void> {
    await this.tx.tx.query(
      `UPDATE finance.advance SET approval_id = $2, version = version + 1, updated_at = now()
        WHERE id = $1 AND status = 'submitted' AND approval_id IS DISTINCT FROM $2`,
      [id, approvalId],
    );
  }

  /**
   * Remembers a user who took part in the advance's approval (decided a step, or submitted it for
   * someone else), so they cannot pay it. Not a visible change: no version bump.
   */
  @Transactional()
  async recordApprover(id: string, userId: string): Promise<void> {
    await this.tx.tx.query(
      `UPDATE finance.advance SET approver_ids = array_append(approver_ids, $2::uuid)
        WHERE id = $1 AND owner_id <> $2::uuid AND NOT ($2::uuid = ANY(approver_ids))`,
      [id, userId],
    );
  }

  /** Approval keeps the reservation until the payment; rejection and recall release it. Results for non-pending advances are ignored. */
  @Transactional()
  async onApprovalDecided(decided: ApprovalDecided): Promise<void> {
    const advance = await this.tx.tx.getRepository(Advance).findOne({ where: { id: decided.subjectId }, lock: { mode: 'pessimistic_write' } });
    if (advance && decided.decidedBy) await this.recordApprover(advance.id, decided.decidedBy);
    if (!advance || advance.status !== 'submitted') {
      this.logger.warn(`Ignoring approval ${decided.outcome} for advance ${decided.subjectId} in status ${advance?.status ?? 'missing'}`);
      return;
    }
    if (decided.outcome !== 'approved') {
      await this.release(advance, decided.outcome, null, decided);
      return;
    }
    const updated = await updateVersioned(this.tx.tx, Advance, 'Advance', advance.id, advance.version, {
      status: 'approved', ...decisionFields(decided),
    });
    await this.events.publish({
      type: 'finance.advance.approved', aggregateType: ADVANCE_SUBJECT, aggregateId: advance.id,
      payload: { ...this.payload(updated), decidedBy: decided.decidedBy, comment: decided.comment },
    });
    await this.audit.record({ actor: null, recordType: ADVANCE_RESOURCE, recordId: advance.id, action: 'approve', before: { status: 'submitted' }, after: { status: 'approved', decidedBy: decided.decidedBy } });
  }

  private async release(advance: Advance, to: 'rejected' | 'recalled', actor: Actor | null, decided: ApprovalDecided | null): Promise<Advance> {
    assertAdvanceTransition(advance.status, to);
    const now = this.clock.now();
    await this.ledger.release(advance.costCentreId, this.source(advance), { amountMinor: advance.amountMinor, category: 'advance', occurredOn: isoDate(now) }, actor?.userId ?? decided?.decidedBy ?? null);
    const updated = await updateVersioned(this.tx.tx, Advance, 'Advance', advance.id, advance.version, {
      status: to,
      ...(decided ? decisionFields(decided) : {}),
    });
    await this.events.publish({
      type: `finance.advance.${to}`, aggregateType: ADVANCE_SUBJECT, aggregateId: advance.id,
      payload: { ...this.payload(updated), ...(decided ? { decidedBy: decided.decidedBy, comment: decided.comment } : {}) },
    });
    await this.audit.record({ actor, recordType: ADVANCE_RESOURCE, recordId: advance.id, action: to === 'recalled' ? 'recall' : 'reject', before: { status: advance.status }, after: { status: to } });
    return updated;
  }

  private lock(actor: Actor, id: string) {
    return loadForUpdate(this.tx.tx, Advance, 'Advance', id, { dataScope: this.dataScope, actor, resource: ADVANCE_RESOURCE });
  }

  private source(a: Advance): LedgerSourceRef {
    return { type: 'advance', id: a.id, code: a.code };
  }

  private payload(a: Advance): AdvanceEvent {
    return { advanceId: a.id, code: a.code, costCentreId: a.costCentreId, ownerId: a.ownerId, currency: a.currency, amountMinor: a.amountMinor, status: a.status };
  }
}
