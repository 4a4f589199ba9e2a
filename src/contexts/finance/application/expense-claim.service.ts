import { Injectable, Logger } from '@nestjs/common';
import { In } from 'typeorm';
import { AuditLog } from '../../../platform/audit/audit-log.js';
import { newId } from '../../../platform/database/base.entity.js';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import { assertVersion, updateVersioned } from '../../../platform/database/versioned-update.js';
import { EventPublisher } from '../../../platform/events/event-publisher.js';
import { paginate, type Page, type PageQuery } from '../../../platform/http/pagination.js';
import type { Actor } from '../../../platform/identity/domain/actor.js';
import { DataScopeService } from '../../../platform/identity/application/data-scope.js';
import { Clock } from '../../../platform/scheduling/clock.js';
import type { ApprovalDecided, ApprovalRequested, ApprovalWithdrawn } from '../../workflow/public/approval-contract.js';
import { CostCentre } from '../domain/cost-centre.entity.js';
import { ExpenseClaim, ExpenseClaimLine } from '../domain/expense-claim.entity.js';
import {
  assertClaimEditable,
  assertClaimTransition,
  claimCategories,
  claimTotal,
  type ExpenseClaimKind,
  type ExpenseClaimStatus,
} from '../domain/expense-claim.rules.js';
import { EXPENSE_CLAIM_SUBJECT, type ExpenseClaimEvent } from '../public/events.js';
import { CodeCounter } from './code-counter.service.js';
import { CostCentreLedger, type LedgerSourceRef } from './cost-centre-ledger.service.js';
import { FinanceAccess } from './finance-access.js';
import { decisionFields, isoDate, loadForUpdate, loadInScope } from './records.js';

export const EXPENSE_CLAIM_RESOURCE = 'finance.expense-claim';

export interface ClaimLineData {
  category: string;
  date: string;
  amountMinor: number;
  description?: string | null;
  receiptRef?: string | null;
}

export interface ClaimData {
  kind: ExpenseClaimKind;
  costCentreId: string;
  title: string;
  currency: string;
  lines: ClaimLineData[];
  accountId?: string | null;
  campaignId?: string | null;
  productId?: string | null;
  supplierRef?: string | null;
}

export interface ClaimFilter extends PageQuery {
  status?: ExpenseClaimStatus;
  kind?: ExpenseClaimKind;
  costCentreId?: string;
  ownerId?: string;
}

/** A claim with its lines, as the API shows it. */
export interface ClaimView {
  claim: ExpenseClaim;
  lines: ExpenseClaimLine[];
}

const snapshot = (c: ExpenseClaim) => ({
  kind: c.kind, title: c.title, costCentreId: c.costCentreId, currency: c.currency, totalMinor: c.totalMinor, status: c.status,
  accountId: c.accountId, campaignId: c.campaignId, productId: c.productId, supplierRef: c.supplierRef,
});

/**
 * Expense claims: draft → submitted (the total reserved on the cost centre, approval requested
 * from Workflow) → approved → posted, or rejected / recalled (reservation released).
 */
@Injectable()
export class ExpenseClaimService {
  private readonly logger = new Logger(ExpenseClaimService.name);

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
  async create(actor: Actor, data: ClaimData): Promise<ClaimView> {
    const totalMinor = claimTotal(data.lines);
    await this.access.chargeableCentre(actor, data.costCentreId, data.currency);
    await this.access.assertLinks(actor, data);
    const repo = this.tx.tx.getRepository(ExpenseClaim);
    const claim = await repo.save(
      repo.create({
        code: await this.codes.next('EXP'),
        kind: data.kind,
        title: data.title,
        costCentreId: data.costCentreId,
        ownerId: actor.userId,
        ownerOrgUnitId: actor.orgUnitId,
        currency: data.currency,
        totalMinor,
        accountId: data.accountId ?? null,
        campaignId: data.campaignId ?? null,
        productId: data.productId ?? null,
        supplierRef: data.supplierRef ?? null,
        status: 'draft',
        approvalId: null,
        submittedAt: null,
        decidedAt: null,
        decidedBy: null,
        decisionComment: null,
        postedAt: null,
      }),
    );
    const lines = await this.replaceLines(claim.id, data.lines);
    await this.audit.record({ actor, recordType: EXPENSE_CLAIM_RESOURCE, recordId: claim.id, action: 'create', after: { ...snapshot(claim), lines: data.lines } });
    return { claim, lines };
  }

  async get(actor: Actor, id: string): Promise<ClaimView> {
    const claim = await loadInScope(this.tx.tx, ExpenseClaim, 'Expense claim', id, { dataScope: this.dataScope, actor, resource: EXPENSE_CLAIM_RESOURCE });
    return { claim, lines: await this.linesOf([id]).then((m) => m.get(id) ?? []) };
  }

  async list(actor: Actor, query: ClaimFilter): Promise<Page<ClaimView>> {
    const qb = this.tx.tx.getRepository(ExpenseClaim).createQueryBuilder('e');
    await this.dataScope.apply(qb, actor, EXPENSE_CLAIM_RESOURCE, { owner: 'ownerId' });
    if (query.status) qb.andWhere('e.status = :status', { status: query.status });
    if (query.kind) qb.andWhere('e.kind = :kind', { kind: query.kind });
    if (query.costCentreId) qb.andWhere('e.costCentreId = :costCentreId', { costCentreId: query.costCentreId });
    if (query.ownerId) qb.andWhere('e.ownerId = :ownerId', { ownerId: query.ownerId });
    const page = await paginate(qb, query, { sortable: { createdAt: 'createdAt', code: 'code', updatedAt: 'updatedAt' }, defaultSort: '-createdAt' });
    const lines = await this.linesOf(page.items.map((c) => c.id));
    return { items: page.items.map((claim) => ({ claim, lines: lines.get(claim.id) ?? [] })), nextCursor: page.nextCursor };
  }

  /** Edits a draft (or recalled) claim; 409 while pending approval or after. */
  @Transactional()
  async update(actor: Actor, id: string, expectedVersion: number | undefined, changes: Partial<ClaimData>): Promise<ClaimView> {
    const em = this.tx.tx;
    const claim = await this.lock(actor, id);
    assertVersion(expectedVersion, claim.version);
    assertClaimEditable(claim.status);
    const costCentreId = changes.costCentreId ?? claim.costCentreId;
    const currency = changes.currency ?? claim.currency;
    if (changes.costCentreId !== undefined || changes.currency !== undefined) await this.access.chargeableCentre(actor, costCentreId, currency);
    await this.access.assertLinks(actor, changes);
    const totalMinor = changes.lines ? claimTotal(changes.lines) : claim.totalMinor;
    const updated = await updateVersioned(em, ExpenseClaim, 'Expense claim', id, claim.version, {
      ...pick(changes, ['kind', 'title', 'accountId', 'campaignId', 'productId', 'supplierRef']),
      costCentreId,
      currency,
      totalMinor,
    });
    const lines = changes.lines ? await this.replaceLines(id, changes.lines) : (await this.linesOf([id])).get(id) ?? [];
    const before = snapshot(claim);
    const after = snapshot(updated);
    const keys = Object.keys(after).filter((k) => before[k as keyof typeof before] !== after[k as keyof typeof after]);
    await this.audit.record({
      actor, recordType: EXPENSE_CLAIM_RESOURCE, recordId: id, action: 'update',
      before: Object.fromEntries(keys.map((k) => [k, before[k as keyof typeof before]])),
      after: { ...Object.fromEntries(keys.map((k) => [k, after[k as keyof typeof after]])), ...(changes.lines ? { lines: changes.lines } : {}) },
    });
    return { claim: updated, lines };
  }

  /**
   * Submits for approval: reserves the total on the cost centre with one conditional UPDATE —
   * 422 `cost-centre-cap-exceeded` (and the claim stays a draft) when it does not fit — and
   * publishes `finance.expense-claim.approval-requested` for Workflow.
   */
  @Transactional()
  async submit(actor: Actor, id: string, expectedVersion: number | undefined): Promise<ClaimView> {
    const em = this.tx.tx;
    const claim = await this.lock(actor, id);
    assertVersion(expectedVersion, claim.version);
    assertClaimTransition(claim.status, 'submitted');
    const lines = (await this.linesOf([id])).get(id) ?? [];
    const now = this.clock.now();
    const updated = await updateVersioned(em, ExpenseClaim, 'Expense claim', id, claim.version, {
      status: 'submitted', submittedAt: now, approvalId: null, decidedAt: null, decidedBy: null, decisionComment: null,
    });
    const centre = await em.getRepository(CostCentre).findOneByOrFail({ id: claim.costCentreId });
    const categories = claimCategories(lines.map((l) => ({ category: l.category, date: l.expenseDate, amountMinor: l.amountMinor })));
    const request: ApprovalRequested = {
      subjectType: EXPENSE_CLAIM_SUBJECT,
      subjectId: id,
      subjectCode: claim.code,
      title: claim.title,
      requesterId: claim.ownerId,
      requesterOrgUnitId: claim.ownerId === actor.userId ? actor.orgUnitId : claim.ownerOrgUnitId,
      amountMinor: claim.totalMinor,
      currency: claim.currency,
      attributes: {
        kind: claim.kind,
        category: categories[0] ?? null,
        categories: categories.join(','),
        lineCount: lines.length,
        costCentreId: centre.id,
        costCentreCode: centre.code,
        costCentreSubjectType: centre.subjectType,
      },
    };
    await this.events.publishAll([
      { type: 'finance.expense-claim.submitted', aggregateType: EXPENSE_CLAIM_SUBJECT, aggregateId: id, payload: this.payload(updated) },
      { type: 'finance.expense-claim.approval-requested', aggregateType: EXPENSE_CLAIM_SUBJECT, aggregateId: id, payload: request },
    ]);
    await this.audit.record({ actor, recordType: EXPENSE_CLAIM_RESOURCE, recordId: id, action: 'submit', before: { status: claim.status }, after: { status: 'submitted' } });
    // A refusal names the centre's figures only to a caller who sees the centre (a manager submitting a report's claim may not).
    const disclose = await this.access.seesCentre(actor, centre);
    // Last, so the cost-centre row (the hot spot) stays locked only until the commit that follows.
    await this.ledger.reserve(claim.costCentreId, claim.currency, this.source(claim), { amountMinor: claim.totalMinor, category: null, occurredOn: isoDate(now) }, actor.userId, disclose);
    return { claim: updated, lines };
  }

  /**
   * The claimant withdraws a pending claim: the reservation is released and Workflow is told.
   * Nobody else may (403 `finance.expense-claim.not-claimant`) unless they hold `finance.expense-claim:recall-any`.
   */
  @Transactional()
  async recall(actor: Actor, id: string, expectedVersion: number | undefined, reason?: string): Promise<ClaimView> {
    const claim = await this.lock(actor, id);
    this.access.assertMayRecall(actor, EXPENSE_CLAIM_RESOURCE, claim.ownerId, 'finance.expense-claim.not-claimant');
    assertVersion(expectedVersion, claim.version);
    assertClaimTransition(claim.status, 'recalled');
    const updated = await this.release(claim, 'recalled', actor, null);
    const withdrawn: ApprovalWithdrawn = { subjectType: EXPENSE_CLAIM_SUBJECT, subjectId: id, requesterId: claim.ownerId, ...(reason ? { reason } : {}) };
    await this.events.publish({ type: 'finance.expense-claim.approval-withdrawn', aggregateType: EXPENSE_CLAIM_SUBJECT, aggregateId: id, payload: withdrawn });
    return { claim: updated, lines: (await this.linesOf([id])).get(id) ?? [] };
  }

  /** `workflow.approval.started`: remember the approval instance. */
  @Transactional()
  async onApprovalStarted(id: string, approvalId: string): Promise<void> {
    await this.tx.tx.query(
      `UPDATE finance.expense_claim SET approval_id = $2, version = version + 1, updated_at = now()
        WHERE id = $1 AND status = 'submitted' AND approval_id IS DISTINCT FROM $2`,
      [id, approvalId],
    );
  }

  /**
   * `workflow.approval.approved|rejected|recalled`: approval posts the reserved total to the cost
   * centre (one ledger row per line, by category and expense date); rejection and recall release it.
   * A result for a claim that is no longer pending is ignored (idempotent).
   */
  @Transactional()
  async onApprovalDecided(decided: ApprovalDecided): Promise<void> {
    const em = this.tx.tx;
    const claim = await em.getRepository(ExpenseClaim).findOne({ where: { id: decided.subjectId }, lock: { mode: 'pessimistic_write' } });
    if (!claim || claim.status !== 'submitted') {
      this.logger.warn(`Ignoring approval ${decided.outcome} for expense claim ${decided.subjectId} in status ${claim?.status ?? 'missing'}`);
      return;
    }
    if (decided.outcome !== 'approved') {
      await this.release(claim, decided.outcome, null, decided);
      return;
    }
    assertClaimTransition('submitted', 'approved');
    assertClaimTransition('approved', 'posted');
    const lines = (await this.linesOf([claim.id])).get(claim.id) ?? [];
    await this.ledger.post(
      claim.costCentreId,
      this.source(claim),
      lines.map((l) => ({ amountMinor: l.amountMinor, category: l.category, occurredOn: l.expenseDate })),
      decided.decidedBy,
    );
    const now = this.clock.now();
    const decidedAt = new Date(decided.decidedAt);
    const approved = await updateVersioned(em, ExpenseClaim, 'Expense claim', claim.id, claim.version, {
      status: 'posted', approvalId: decided.approvalId, decidedAt, decidedBy: decided.decidedBy, decisionComment: decided.comment, postedAt: now,
    });
    await this.events.publishAll([
      { type: 'finance.expense-claim.approved', aggregateType: EXPENSE_CLAIM_SUBJECT, aggregateId: claim.id, payload: { ...this.payload(approved), status: 'approved', decidedBy: decided.decidedBy, comment: decided.comment } },
      { type: 'finance.expense-claim.posted', aggregateType: EXPENSE_CLAIM_SUBJECT, aggregateId: claim.id, payload: this.payload(approved) },
    ]);
    await this.audit.record({ actor: null, recordType: EXPENSE_CLAIM_RESOURCE, recordId: claim.id, action: 'post', before: { status: 'submitted' }, after: { status: 'posted', approvalId: decided.approvalId, decidedBy: decided.decidedBy } });
  }

  private async release(claim: ExpenseClaim, to: 'rejected' | 'recalled', actor: Actor | null, decided: ApprovalDecided | null): Promise<ExpenseClaim> {
    assertClaimTransition(claim.status, to);
    const now = this.clock.now();
    await this.ledger.release(claim.costCentreId, this.source(claim), { amountMinor: claim.totalMinor, category: null, occurredOn: isoDate(now) }, actor?.userId ?? decided?.decidedBy ?? null);
    const updated = await updateVersioned(this.tx.tx, ExpenseClaim, 'Expense claim', claim.id, claim.version, {
      status: to,
      ...(decided ? decisionFields(decided) : {}),
    });
    await this.events.publish({
      type: `finance.expense-claim.${to}`,
      aggregateType: EXPENSE_CLAIM_SUBJECT,
      aggregateId: claim.id,
      payload: { ...this.payload(updated), ...(decided ? { decidedBy: decided.decidedBy, comment: decided.comment } : {}) },
    });
    await this.audit.record({ actor, recordType: EXPENSE_CLAIM_RESOURCE, recordId: claim.id, action: to === 'recalled' ? 'recall' : 'reject', before: { status: claim.status }, after: { status: to } });
    return updated;
  }

  private lock(actor: Actor, id: string) {
    return loadForUpdate(this.tx.tx, ExpenseClaim, 'Expense claim', id, { dataScope: this.dataScope, actor, resource: EXPENSE_CLAIM_RESOURCE });
  }

  private source(claim: ExpenseClaim): LedgerSourceRef {
    return { type: 'expense-claim', id: claim.id, code: claim.code };
  }

  private payload(c: ExpenseClaim): ExpenseClaimEvent {
    return { claimId: c.id, code: c.code, kind: c.kind, costCentreId: c.costCentreId, ownerId: c.ownerId, currency: c.currency, totalMinor: c.totalMinor, status: c.status };
  }

  private async replaceLines(claimId: string, lines: ClaimLineData[]): Promise<ExpenseClaimLine[]> {
    const repo = this.tx.tx.getRepository(ExpenseClaimLine);
    await repo.delete({ claimId });
    const rows = lines.map((l, position) =>
      repo.create({ id: newId(), claimId, position, category: l.category, expenseDate: l.date, amountMinor: l.amountMinor, description: l.description ?? null, receiptRef: l.receiptRef ?? null }),
    );
    await repo.insert(rows);
    return rows;
  }

  private async linesOf(claimIds: string[]): Promise<Map<string, ExpenseClaimLine[]>> {
    const map = new Map<string, ExpenseClaimLine[]>();
    if (claimIds.length === 0) return map;
    const rows = await this.tx.tx.getRepository(ExpenseClaimLine).find({ where: { claimId: In(claimIds) }, order: { position: 'ASC' } });
    for (const row of rows) map.set(row.claimId, [...(map.get(row.claimId) ?? []), row]);
    return map;
  }
}

function pick<T extends object, K extends keyof T>(obj: T, keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => obj[k] !== undefined).map((k) => [k, obj[k]])) as Partial<Pick<T, K>>;
}
