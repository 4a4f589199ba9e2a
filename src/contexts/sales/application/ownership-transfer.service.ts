import { Injectable } from '@nestjs/common';
import { AuditLog } from '../../../platform/audit/audit-log.js';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import { DomainError } from '../../../platform/errors/domain-error.js';
import { paginate, type Page, type PageQuery } from '../../../platform/http/pagination.js';
import type { Actor } from '../../../platform/identity/domain/actor.js';
import { OrgDirectory } from '../../../platform/identity/application/org-directory.js';
import { unknownReference } from '../../../platform/identity/application/references.js';
import { OwnershipTransfer, type TransferCounts } from '../domain/ownership-transfer.entity.js';
import { OWNER_UNKNOWN, SalesAccess } from './sales-access.js';
import { SalesEventPublisher } from './sales-events.js';

/**
 * Moves a user's book of business — accounts, contacts, leads, open opportunities and open
 * activities — to another user in one transaction (customer information survives staff
 * turnover). Each moved row gets the new owner and org unit and a new version; one audit entry
 * and one `sales.ownership-transfer.completed` event record the move with its counts.
 */
@Injectable()
export class OwnershipTransferService {
  constructor(
    private readonly tx: Tx,
    private readonly access: SalesAccess,
    private readonly directory: OrgDirectory,
    private readonly events: SalesEventPublisher,
    private readonly audit: AuditLog,
  ) {}

  @Transactional()
  async transfer(actor: Actor, fromUserId: string, toUserId: string): Promise<OwnershipTransfer> {
    if (fromUserId === toUserId) {
      throw new DomainError('invalid', 'validation-failed', 'fromUserId and toUserId must differ', {}, [{ field: 'toUserId', message: 'must differ from fromUserId' }]);
    }
    // The leaver may be inactive already; the heir must be active. Missing or outside the
    // caller's scope: one answer, 422 naming the field.
    const from = await this.directory.user(fromUserId);
    if (!from || !(await this.access.canSee(actor, 'account', { ownerId: fromUserId, id: null }))) throw unknownReference('fromUserId', 'identity.user', fromUserId, OWNER_UNKNOWN);
    const to = await this.access.resolveOwner(actor, 'account', toUserId, 'toUserId');
    const em = this.tx.tx;
    const move = async (table: string, condition = 'true'): Promise<number> => {
      // TypeORM answers an UPDATE with [rows, affected].
      const [, affected]: [unknown[], number] = await em.query(
        `UPDATE sales.${table} SET owner_id = $2, ${table === 'contact' ? '' : 'org_unit_id = $3, '}version = version + 1, updated_at = now()
          WHERE owner_id = $1 AND ${condition}`,
        table === 'contact' ? [fromUserId, to.ownerId] : [fromUserId, to.ownerId, to.orgUnitId],
      );
      return affected;
    };
    const counts: TransferCounts = {
      accounts: await move('account'),
      contacts: await move('contact'),
      leads: await move('lead', `status NOT IN ('converted', 'disqualified')`),
      opportunities: await move('opportunity', `status = 'open'`),
      activities: await move('activity', `status = 'open'`),
    };
    const repo = em.getRepository(OwnershipTransfer);
    const transfer = repo.create({ fromUserId, toUserId: to.ownerId, requestedBy: actor.userId, counts });
    await repo.insert(transfer);
    const created = await repo.findOneByOrFail({ id: transfer.id });
    await this.audit.record({
      actor,
      recordType: 'sales.ownership-transfer',
      recordId: created.id,
      action: 'create',
      after: { fromUserId, toUserId: to.ownerId, ...counts },
    });
    await this.events.publish('sales.ownership-transfer.completed', created.id, { transferId: created.id, fromUserId, toUserId: to.ownerId, ...counts });
    return created;
  }

  list(query: PageQuery): Promise<Page<OwnershipTransfer>> {
    const qb = this.tx.tx.getRepository(OwnershipTransfer).createQueryBuilder('t');
    return paginate(qb, query, { sortable: { createdAt: 'createdAt' }, defaultSort: '-createdAt' });
  }
}
