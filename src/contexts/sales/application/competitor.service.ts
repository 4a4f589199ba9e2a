import { Injectable } from '@nestjs/common';
import { AuditLog } from '../../../platform/audit/audit-log.js';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import { NotFoundError } from '../../../platform/errors/domain-error.js';
import { paginate, type Page, type PageQuery } from '../../../platform/http/pagination.js';
import type { Actor } from '../../../platform/identity/domain/actor.js';
import { Competitor } from '../domain/opportunity-parts.entity.js';
import { present, snapshot } from './changes.js';
import type { CompetitorInput } from './opportunity.service.js';
import { containsPattern } from './sales-events.js';

/** The catalogue of competitors opportunities refer to. */
@Injectable()
export class CompetitorService {
  constructor(private readonly tx: Tx, private readonly audit: AuditLog) {}

  @Transactional()
  async create(actor: Actor, input: CompetitorInput): Promise<Competitor> {
    const repo = this.tx.tx.getRepository(Competitor);
    const competitor = repo.create({ website: null, strengths: null, weaknesses: null, ...present(input) });
    await repo.insert(competitor);
    const created = await repo.findOneByOrFail({ id: competitor.id });
    await this.audit.record({ actor, recordType: 'sales.competitor', recordId: created.id, action: 'create', after: snapshot(created) });
    return created;
  }

  async get(id: string): Promise<Competitor> {
    const competitor = await this.tx.tx.getRepository(Competitor).findOneBy({ id });
    if (!competitor) throw new NotFoundError('Competitor', id);
    return competitor;
  }

  list(query: PageQuery & { q?: string }): Promise<Page<Competitor>> {
    const qb = this.tx.tx.getRepository(Competitor).createQueryBuilder('c');
    if (query.q) qb.andWhere('lower(c.name) LIKE :q', { q: containsPattern(query.q) });
    return paginate(qb, query, { sortable: { name: 'name', createdAt: 'createdAt', updatedAt: 'updatedAt' }, defaultSort: 'name' });
  }
}
