import { Injectable } from '@nestjs/common';
import { AuditLog } from '../../../platform/audit/audit-log.js';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import { EventPublisher } from '../../../platform/events/event-publisher.js';
import { paginate, type Page, type PageQuery } from '../../../platform/http/pagination.js';
import type { Actor } from '../../../platform/identity/domain/actor.js';
import { Income } from '../domain/income.entity.js';
import type { IncomeRecorded } from '../public/events.js';
import { CodeCounter } from './code-counter.service.js';
import { CostCentreLedger } from './cost-centre-ledger.service.js';
import { FinanceAccess } from './finance-access.js';

export interface IncomeData {
  costCentreId: string;
  amountMinor: number;
  currency: string;
  receivedOn: string;
  source: string;
  description?: string | null;
  accountId?: string | null;
}

export interface IncomeFilter extends PageQuery {
  costCentreId?: string;
}

/** Money received against a cost centre (shown on its ledger; does not change what is available). */
@Injectable()
export class IncomeService {
  constructor(
    private readonly tx: Tx,
    private readonly codes: CodeCounter,
    private readonly ledger: CostCentreLedger,
    private readonly events: EventPublisher,
    private readonly audit: AuditLog,
    private readonly access: FinanceAccess,
  ) {}

  @Transactional()
  async record(actor: Actor, data: IncomeData): Promise<Income> {
    await this.access.chargeableCentre(actor, data.costCentreId, data.currency);
    await this.access.assertLinks(actor, { accountId: data.accountId });
    const repo = this.tx.tx.getRepository(Income);
    const income = await repo.save(
      repo.create({ code: await this.codes.next('INC'), ...data, description: data.description ?? null, accountId: data.accountId ?? null, recordedBy: actor.userId }),
    );
    await this.ledger.income(data.costCentreId, data.currency, { type: 'income', id: income.id, code: income.code }, { amountMinor: data.amountMinor, category: 'income', occurredOn: data.receivedOn }, actor.userId);
    const payload: IncomeRecorded = { incomeId: income.id, code: income.code, costCentreId: income.costCentreId, amountMinor: income.amountMinor, currency: income.currency, receivedOn: income.receivedOn };
    await this.events.publish({ type: 'finance.income.recorded', aggregateType: 'finance.income', aggregateId: income.id, payload });
    await this.audit.record({ actor, recordType: 'finance.income', recordId: income.id, action: 'create', after: { ...data } });
    return income;
  }

  async list(query: IncomeFilter): Promise<Page<Income>> {
    const qb = this.tx.tx.getRepository(Income).createQueryBuilder('i');
    if (query.costCentreId) qb.andWhere('i.costCentreId = :costCentreId', { costCentreId: query.costCentreId });
    return paginate(qb, query, { sortable: { createdAt: 'createdAt', receivedOn: 'receivedOn' }, defaultSort: '-createdAt' });
  }
}
