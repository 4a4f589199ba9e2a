import { Injectable } from '@nestjs/common';
import { Brackets } from 'typeorm';
import { AuditLog } from '../../../platform/audit/audit-log.js';
import { newId } from '../../../platform/database/base.entity.js';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import { DomainError, NotFoundError } from '../../../platform/errors/domain-error.js';
import { type Page, type PageQuery, paginate } from '../../../platform/http/pagination.js';
import { scopeFor, type Actor } from '../../../platform/identity/domain/actor.js';
import { Delegation } from '../domain/delegation.entity.js';
import { WorkflowReferences } from './workflow-references.js';

const UNKNOWN_USER = 'workflow.delegation.unknown-user';

export interface DelegationInput {
  fromUserId?: string;
  toUserId: string;
  startsAt: Date;
  endsAt: Date;
  reason?: string | null;
}

const seesAll = (actor: Actor) => scopeFor(actor, 'workflow.delegation') === 'all';

/**
 * Out-of-office delegations: users manage their own (from = me); admins (scope `all` on
 * workflow.delegation) anyone's. New tasks for `from` go to `to` inside the window.
 */
@Injectable()
export class DelegationService {
  constructor(private readonly tx: Tx, private readonly users: WorkflowReferences, private readonly audit: AuditLog) {}

  @Transactional()
  async list(actor: Actor, query: PageQuery & { userId?: string }): Promise<Page<Delegation>> {
    const qb = this.tx.tx.getRepository(Delegation).createQueryBuilder('d');
    if (query.userId) qb.andWhere('(d.fromUserId = :userId OR d.toUserId = :userId)', { userId: query.userId });
    if (!seesAll(actor)) {
      qb.andWhere(new Brackets((w) => w.where('d.fromUserId = :me', { me: actor.userId }).orWhere('d.toUserId = :me').orWhere('d.createdBy = :me')));
    }
    return paginate(qb, query, { sortable: { createdAt: 'createdAt', startsAt: 'startsAt' }, defaultSort: '-createdAt' });
  }

  @Transactional()
  async create(actor: Actor, input: DelegationInput): Promise<Delegation> {
    const fromUserId = input.fromUserId ?? actor.userId;
    if (fromUserId !== actor.userId && !seesAll(actor)) {
      throw new DomainError('forbidden', 'workflow.delegation.not-own', 'You can only delegate your own tasks');
    }
    const errors: { field: string; message: string }[] = [];
    if (input.endsAt.getTime() <= input.startsAt.getTime()) errors.push({ field: 'endsAt', message: 'must be after startsAt' });
    if (fromUserId === input.toUserId) errors.push({ field: 'toUserId', message: 'must differ from fromUserId' });
    if (errors.length) throw new DomainError('invalid', 'validation-failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), {}, errors);
    // One after the other: the reads share the transaction's connection. Missing, inactive and
    // out-of-scope users answer alike (422 workflow.delegation.unknown-user naming the field).
    if (fromUserId !== actor.userId) await this.users.assertUser(actor, fromUserId, 'fromUserId', { code: UNKNOWN_USER });
    await this.users.assertUser(actor, input.toUserId, 'toUserId', { code: UNKNOWN_USER, active: true, employee: true });
    const repo = this.tx.tx.getRepository(Delegation);
    const delegation = repo.create({ id: newId(), fromUserId, toUserId: input.toUserId, startsAt: input.startsAt, endsAt: input.endsAt, reason: input.reason ?? null, createdBy: actor.userId });
    await repo.insert(delegation);
    await this.audit.record({ actor, recordType: 'workflow.delegation', recordId: delegation.id, action: 'create', after: { fromUserId, toUserId: input.toUserId, startsAt: input.startsAt.toISOString(), endsAt: input.endsAt.toISOString() } });
    return repo.findOneByOrFail({ id: delegation.id });
  }

  @Transactional()
  async remove(actor: Actor, id: string): Promise<void> {
    const repo = this.tx.tx.getRepository(Delegation);
    const delegation = await repo.findOneBy({ id });
    if (!delegation || !(seesAll(actor) || delegation.fromUserId === actor.userId || delegation.createdBy === actor.userId)) throw new NotFoundError('Delegation', id);
    await repo.delete({ id });
    await this.audit.record({ actor, recordType: 'workflow.delegation', recordId: id, action: 'delete', before: { fromUserId: delegation.fromUserId, toUserId: delegation.toUserId } });
  }
}
