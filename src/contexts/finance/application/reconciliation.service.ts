import { Injectable } from '@nestjs/common';
import { AuditLog } from '../../../platform/audit/audit-log.js';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import { DomainError, NotFoundError } from '../../../platform/errors/domain-error.js';
import { EventPublisher } from '../../../platform/events/event-publisher.js';
import type { Actor } from '../../../platform/identity/domain/actor.js';
import { References } from '../../../platform/identity/application/references.js';
import { Clock } from '../../../platform/scheduling/clock.js';
import { assertSettlement, reconcile, type Reconciliation, type SettlementDirection, type StatementFact } from '../domain/reconciliation.rules.js';
import { Settlement } from '../domain/settlement.entity.js';
import type { SettlementRecorded } from '../public/events.js';
import { FinanceAccess } from './finance-access.js';
import { isoDate } from './records.js';

export const RECONCILIATION_RESOURCE = 'finance.reconciliation';

export interface ReconciliationQuery {
  costCentreId?: string;
  currency?: string;
}

export interface ReconciliationView extends Reconciliation {
  userId: string;
  costCentreId: string | null;
  currency: string | null;
}

export interface SettlementData {
  costCentreId?: string | null;
  currency: string;
  direction: SettlementDirection;
  amountMinor: number;
  settledOn?: string;
  reference?: string | null;
  note?: string | null;
}

interface FactRow {
  type: StatementFact['type'];
  direction: SettlementDirection | null;
  source_id: string;
  code: string | null;
  cost_centre_id: string | null;
  date: string;
  description: string;
  amount_minor: string;
  currency: string;
}

/**
 * Personal reconciliation ("多退少补"): per employee (and optionally cost centre), advances paid
 * minus approved (posted) reimbursement claims, adjusted by settlements — positive: the employee
 * returns it; negative: the company pays. Visible to whoever sees the employee's expense claims.
 */
@Injectable()
export class ReconciliationService {
  constructor(
    private readonly tx: Tx,
    private readonly events: EventPublisher,
    private readonly audit: AuditLog,
    private readonly references: References,
    private readonly access: FinanceAccess,
    private readonly clock: Clock,
  ) {}

  async get(actor: Actor, userId: string, query: ReconciliationQuery): Promise<ReconciliationView> {
    await this.assertVisible(actor, userId);
    return this.compute(userId, query);
  }

  /** Records a settlement (the employee returned money, or the company paid out) within the outstanding balance. */
  @Transactional()
  async settle(actor: Actor, userId: string, data: SettlementData): Promise<{ settlement: Settlement; reconciliation: ReconciliationView }> {
    await this.assertVisible(actor, userId);
    if (data.costCentreId) await this.access.visibleCentre(actor, data.costCentreId, 'costCentreId');
    // One settlement per employee at a time, so two cannot both pass the balance check.
    await this.tx.tx.query(`SELECT pg_advisory_xact_lock(hashtext('finance.reconciliation'), hashtext($1))`, [userId]);
    const query = { costCentreId: data.costCentreId ?? undefined, currency: data.currency };
    const before = await this.compute(userId, query);
    assertSettlement(before.balanceMinor, data.direction, data.amountMinor);
    const repo = this.tx.tx.getRepository(Settlement);
    const settlement = await repo.save(
      repo.create({
        userId,
        costCentreId: data.costCentreId ?? null,
        currency: data.currency,
        direction: data.direction,
        amountMinor: data.amountMinor,
        settledOn: data.settledOn ?? isoDate(this.clock.now()),
        reference: data.reference ?? null,
        note: data.note ?? null,
        recordedBy: actor.userId,
      }),
    );
    const payload: SettlementRecorded = {
      settlementId: settlement.id, userId, costCentreId: settlement.costCentreId, currency: settlement.currency, direction: settlement.direction, amountMinor: settlement.amountMinor,
    };
    await this.events.publish({ type: 'finance.settlement.recorded', aggregateType: 'finance.settlement', aggregateId: settlement.id, payload });
    await this.audit.record({ actor, recordType: 'finance.settlement', recordId: settlement.id, action: 'create', after: { ...payload, balanceBeforeMinor: before.balanceMinor } });
    return { settlement, reconciliation: await this.compute(userId, query) };
  }

  /** The user exists and is inside the caller's `finance.reconciliation` scope; else 404, the same for both. */
  private async assertVisible(actor: Actor, userId: string) {
    if (!(await this.references.visible(actor, RECONCILIATION_RESOURCE, userId))) throw new NotFoundError('Reconciliation of user', userId);
  }

  private async compute(userId: string, query: ReconciliationQuery): Promise<ReconciliationView> {
    const centre = query.costCentreId ?? null;
    const rows: FactRow[] = await this.tx.tx.query(
      `SELECT 'advance-paid' AS type, NULL AS direction, a.id AS source_id, a.code, a.cost_centre_id, to_char(a.paid_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date,
              a.purpose AS description, a.amount_minor, a.currency
         FROM finance.advance a
        WHERE a.owner_id = $1 AND a.status = 'paid' AND ($2::uuid IS NULL OR a.cost_centre_id = $2)
       UNION ALL
       SELECT 'reimbursement-approved', NULL, e.id, e.code, e.cost_centre_id, to_char(e.posted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
              e.title, e.total_minor, e.currency
         FROM finance.expense_claim e
        WHERE e.owner_id = $1 AND e.kind = 'reimbursement' AND e.status = 'posted' AND ($2::uuid IS NULL OR e.cost_centre_id = $2)
       UNION ALL
       SELECT 'settlement', s.direction, s.id, s.reference, s.cost_centre_id, to_char(s.settled_on, 'YYYY-MM-DD'),
              coalesce(s.note, s.direction), s.amount_minor, s.currency
         FROM finance.settlement s
        WHERE s.user_id = $1 AND ($2::uuid IS NULL OR s.cost_centre_id = $2)`,
      [userId, centre],
    );
    const currencies = [...new Set(rows.map((r) => r.currency.trim()))];
    let currency = query.currency ?? null;
    if (!currency) {
      if (currencies.length > 1) {
        throw new DomainError('rule-violated', 'finance.reconciliation.currency-required', `The employee has records in ${currencies.join(', ')}: pass ?currency=`, { currencies });
      }
      currency = currencies[0] ?? null;
    }
    const facts: StatementFact[] = rows
      .filter((r) => currency === null || r.currency.trim() === currency)
      .map((r) => ({
        type: r.type,
        ...(r.direction ? { direction: r.direction } : {}),
        sourceId: r.source_id,
        code: r.code,
        costCentreId: r.cost_centre_id,
        date: r.date,
        description: r.description,
        amountMinor: Number(r.amount_minor),
      }));
    return { userId, costCentreId: centre, currency, ...reconcile(facts) };
  }
}
