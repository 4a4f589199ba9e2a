import { Injectable } from '@nestjs/common';
import { newId } from '../../../platform/database/base.entity.js';
import { Tx } from '../../../platform/database/transaction.js';
import { DomainError, NotFoundError } from '../../../platform/errors/domain-error.js';
import { EventPublisher } from '../../../platform/events/event-publisher.js';
import { CostCentre } from '../domain/cost-centre.entity.js';
import { availableOf, crossings, statusSql, type CostCentreFigures } from '../domain/cost-centre.rules.js';
import { LedgerEntry } from '../domain/ledger-entry.entity.js';
import { ledgerDeltas, type LedgerKind, type LedgerSource } from '../domain/ledger.rules.js';
import type { CostCentreThresholdReached } from '../public/events.js';

export interface LedgerSourceRef {
  type: LedgerSource;
  id: string;
  code: string;
}

/** One part of a movement (a claim posts one ledger row per line, by category and date). */
export interface LedgerPart {
  amountMinor: number;
  category: string | null;
  occurredOn: string;
}

interface CentreRow {
  id: string;
  code: string;
  name: string;
  owner_id: string | null;
  currency: string;
  cap_minor: string;
  warning_line_minor: string;
  spent_minor: string;
  reserved_minor: string;
  status: string;
}

const RETURNING = 'RETURNING id, code, name, owner_id, currency, cap_minor, warning_line_minor, spent_minor, reserved_minor, status';

const figuresOf = (r: CentreRow): CostCentreFigures => ({
  capMinor: Number(r.cap_minor),
  warningLineMinor: Number(r.warning_line_minor),
  spentMinor: Number(r.spent_minor),
  reservedMinor: Number(r.reserved_minor),
});

/**
 * The only code that moves a cost centre's figures. Each movement is ONE conditional UPDATE of
 * the centre row (no read-modify-write: the condition carries the rule, so concurrent
 * submissions can never take spent + reserved above the cap) plus its ledger rows, in the
 * caller's transaction. Threshold crossings are detected from the UPDATE's own result and
 * published once.
 */
@Injectable()
export class CostCentreLedger {
  constructor(private readonly tx: Tx, private readonly events: EventPublisher) {}

  /**
   * Reserves `amount` under the cap; 422 `cost-centre-cap-exceeded` (naming what is available) when it does not fit.
   * `disclose` false (the caller does not see the centre): the refusal keeps its code but names no figures of the centre.
   */
  async reserve(costCentreId: string, currency: string, source: LedgerSourceRef, part: LedgerPart, actorId: string | null, disclose = true): Promise<void> {
    const amount = part.amountMinor;
    // The ledger row first: the centre row is the hot spot, locked from its UPDATE to the commit,
    // so the UPDATE comes last. A refusal rolls the whole transaction (ledger row included) back.
    await this.append(costCentreId, 'reservation', source, [part], actorId);
    const rows = await this.update(
      `UPDATE finance.cost_centre
          SET reserved_minor = reserved_minor + $2,
              status = ${statusSql('spent_minor + reserved_minor + $2')},
              version = version + 1, updated_at = now()
        WHERE id = $1 AND status <> 'closed' AND currency = $3 AND spent_minor + reserved_minor + $2 <= cap_minor
        ${RETURNING}`,
      [costCentreId, amount, currency],
    );
    if (!rows[0]) throw await this.whyNotReserved(costCentreId, currency, amount, disclose);
    const after = figuresOf(rows[0]);
    await this.afterMove(rows[0], { ...after, reservedMinor: after.reservedMinor - amount }, after);
  }

  /** Gives a reservation back (rejection, recall). */
  async release(costCentreId: string, source: LedgerSourceRef, part: LedgerPart, actorId: string | null): Promise<void> {
    const rows = await this.update(
      `UPDATE finance.cost_centre
          SET reserved_minor = reserved_minor - $2,
              status = ${statusSql('spent_minor + reserved_minor - $2')},
              version = version + 1, updated_at = now()
        WHERE id = $1 AND reserved_minor >= $2
        ${RETURNING}`,
      [costCentreId, part.amountMinor],
    );
    if (!rows[0]) throw new Error(`Cost centre ${costCentreId} holds less reserved than the ${part.amountMinor} to release`);
    await this.append(costCentreId, 'release', source, [part], actorId);
  }

  /** Turns a reservation into spending (approval of a claim, payment of an advance); one ledger row per part. */
  async post(costCentreId: string, source: LedgerSourceRef, parts: LedgerPart[], actorId: string | null): Promise<void> {
    const total = parts.reduce((s, p) => s + p.amountMinor, 0);
    const rows = await this.update(
      `UPDATE finance.cost_centre
          SET reserved_minor = reserved_minor - $2, spent_minor = spent_minor + $2,
              status = ${statusSql('spent_minor + reserved_minor')},
              version = version + 1, updated_at = now()
        WHERE id = $1 AND reserved_minor >= $2
        ${RETURNING}`,
      [costCentreId, total],
    );
    if (!rows[0]) throw new Error(`Cost centre ${costCentreId} holds less reserved than the ${total} to post`);
    await this.append(costCentreId, 'posting', source, parts, actorId);
  }

  /** Records money received (does not touch the cap). */
  async income(costCentreId: string, currency: string, source: LedgerSourceRef, part: LedgerPart, actorId: string | null): Promise<void> {
    const rows = await this.update(
      `UPDATE finance.cost_centre SET income_minor = income_minor + $2, version = version + 1, updated_at = now()
        WHERE id = $1 AND status <> 'closed' AND currency = $3
        ${RETURNING}`,
      [costCentreId, part.amountMinor, currency],
    );
    if (!rows[0]) throw await this.whyNotReserved(costCentreId, currency, null);
    await this.append(costCentreId, 'income', source, [part], actorId);
  }

  /** Publishes the threshold events a change of figures caused (also used by cap changes). */
  async publishCrossings(centre: Pick<CostCentre, 'id' | 'code' | 'name' | 'ownerId' | 'currency'>, before: CostCentreFigures, after: CostCentreFigures): Promise<void> {
    const crossed = crossings(before, after);
    const payload: CostCentreThresholdReached = {
      costCentreId: centre.id,
      code: centre.code,
      name: centre.name,
      ownerId: centre.ownerId,
      currency: centre.currency,
      ...after,
      availableMinor: availableOf(after),
    };
    if (crossed.warningLineReached) {
      await this.events.publish({ type: 'finance.cost-centre.warning-line-reached', aggregateType: 'finance.cost-centre', aggregateId: centre.id, payload });
    }
    if (crossed.exhausted) {
      await this.events.publish({ type: 'finance.cost-centre.exhausted', aggregateType: 'finance.cost-centre', aggregateId: centre.id, payload });
    }
  }

  private async afterMove(row: CentreRow, before: CostCentreFigures, after: CostCentreFigures) {
    await this.publishCrossings({ id: row.id, code: row.code, name: row.name, ownerId: row.owner_id, currency: row.currency }, before, after);
  }

  private async update(sql: string, params: unknown[]): Promise<CentreRow[]> {
    // TypeORM's postgres driver answers an UPDATE with [rows, rowCount].
    const result = (await this.tx.tx.query(sql, params)) as [CentreRow[], number];
    return result[0];
  }

  private async append(costCentreId: string, kind: LedgerKind, source: LedgerSourceRef, parts: LedgerPart[], actorId: string | null) {
    const values = parts.map((p) => ({
      id: newId(),
      costCentreId,
      kind,
      sourceType: source.type,
      sourceId: source.id,
      sourceCode: source.code,
      category: p.category,
      occurredOn: p.occurredOn,
      amountMinor: p.amountMinor,
      ...ledgerDeltas(kind, p.amountMinor),
      actorId,
    }));
    await this.tx.tx.createQueryBuilder().insert().into(LedgerEntry).values(values).execute();
  }

  private async whyNotReserved(costCentreId: string, currency: string, amount: number | null, disclose = true): Promise<DomainError> {
    const centre = await this.tx.tx.getRepository(CostCentre).findOneBy({ id: costCentreId });
    if (!centre) return new NotFoundError('Cost centre', costCentreId);
    if (!disclose) {
      const why = centre.status === 'closed' ? ['finance.cost-centre.closed', 'is closed'] : centre.currency !== currency ? ['finance.currency-mismatch', 'holds another currency'] : ['cost-centre-cap-exceeded', 'has not enough left under its cap'];
      return new DomainError('rule-violated', why[0], `The cost centre of this record ${why[1]}`, { costCentreId });
    }
    if (centre.status === 'closed') {
      return new DomainError('rule-violated', 'finance.cost-centre.closed', `Cost centre ${centre.code} is closed`, { costCentreId });
    }
    if (centre.currency !== currency) {
      return new DomainError('rule-violated', 'finance.currency-mismatch', `The currency ${currency} differs from the cost centre's ${centre.currency}`, {
        costCentreId,
        costCentreCurrency: centre.currency,
      });
    }
    const availableMinor = availableOf(centre);
    return new DomainError(
      'rule-violated',
      'cost-centre-cap-exceeded',
      `${amount} ${currency} does not fit under the cap of cost centre ${centre.code}: ${availableMinor} ${currency} available`,
      { costCentreId, capMinor: centre.capMinor, requestedMinor: amount, availableMinor, currency },
    );
  }
}
