import { Injectable } from '@nestjs/common';
import { Brackets } from 'typeorm';
import { AuditLog } from '../../../platform/audit/audit-log.js';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import { assertVersion } from '../../../platform/database/versioned-update.js';
import { DomainError, NotFoundError } from '../../../platform/errors/domain-error.js';
import { assertTransition } from '../../../platform/errors/transitions.js';
import { type Page, type PageQuery, paginate } from '../../../platform/http/pagination.js';
import { scopeFor, type Actor } from '../../../platform/identity/domain/actor.js';
import { ApprovalHistoryEntry, ApprovalInstance, ApprovalStep, WorkflowTask } from '../domain/approval-instance.entity.js';
import { INSTANCE_TRANSITIONS, type InstanceStatus } from '../domain/approval.rules.js';
import { ApprovalEngine } from './approval-engine.service.js';

export const APPROVAL_RESOURCE = 'workflow.approval';

/** Admins (data scope `all` on workflow.approval) see every instance and task. */
export const seesAllApprovals = (actor: Actor) => scopeFor(actor, APPROVAL_RESOURCE) === 'all';

export interface ApprovalDetail {
  instance: ApprovalInstance;
  steps: ApprovalStep[];
  tasks: WorkflowTask[];
  history: ApprovalHistoryEntry[];
}

export interface ApprovalListQuery extends PageQuery {
  subjectType?: string;
  subjectId?: string;
  status?: InstanceStatus;
  requesterId?: string;
}

/**
 * Reading approval instances within scope (requesters see theirs, approvers those they have a
 * task in, admins all) and the requester's recall.
 */
@Injectable()
export class ApprovalService {
  constructor(private readonly tx: Tx, private readonly engine: ApprovalEngine, private readonly audit: AuditLog) {}

  @Transactional()
  async list(actor: Actor, query: ApprovalListQuery): Promise<Page<ApprovalInstance>> {
    const qb = this.tx.tx.getRepository(ApprovalInstance).createQueryBuilder('i');
    if (query.subjectType) qb.andWhere('i.subjectType = :subjectType', { subjectType: query.subjectType });
    if (query.subjectId) qb.andWhere('i.subjectId = :subjectId', { subjectId: query.subjectId });
    if (query.status) qb.andWhere('i.status = :status', { status: query.status });
    if (query.requesterId) qb.andWhere('i.requesterId = :requesterId', { requesterId: query.requesterId });
    if (!seesAllApprovals(actor)) {
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('i.requesterId = :me', { me: actor.userId })
            .orWhere('EXISTS (SELECT 1 FROM workflow.task t WHERE t.instance_id = i.id AND (t.assignee_id = :me OR t.original_assignee_id = :me))'),
        ),
      );
    }
    return paginate(qb, query, { sortable: { createdAt: 'createdAt' }, defaultSort: '-createdAt' });
  }

  /** Whether the actor may see an instance: admin, requester, or one of its (original) assignees. */
  async canSee(actor: Actor, instance: ApprovalInstance): Promise<boolean> {
    if (seesAllApprovals(actor) || instance.requesterId === actor.userId) return true;
    const rows = await this.tx.tx.query(
      'SELECT 1 FROM workflow.task WHERE instance_id = $1 AND (assignee_id = $2 OR original_assignee_id = $2) LIMIT 1',
      [instance.id, actor.userId],
    );
    return rows.length > 0;
  }

  @Transactional()
  async get(actor: Actor, id: string): Promise<ApprovalDetail> {
    const instance = await this.tx.tx.getRepository(ApprovalInstance).findOneBy({ id });
    if (!instance || !(await this.canSee(actor, instance))) throw new NotFoundError('Approval', id);
    // One after the other: the reads share the transaction's connection (pg queues concurrent ones, deprecated).
    const steps = await this.tx.tx.getRepository(ApprovalStep).find({ where: { instanceId: id }, order: { stepIndex: 'ASC' } });
    const tasks = await this.tx.tx.getRepository(WorkflowTask).find({ where: { instanceId: id }, order: { createdAt: 'ASC', id: 'ASC' } });
    const history = await this.tx.tx.getRepository(ApprovalHistoryEntry).find({ where: { instanceId: id }, order: { at: 'ASC', id: 'ASC' } });
    return { instance, steps, tasks, history };
  }

  /** The requester takes the request back before it completes. */
  @Transactional()
  async recall(actor: Actor, id: string, comment: string | null, expectedVersion?: number): Promise<ApprovalDetail> {
    const found = await this.tx.tx.getRepository(ApprovalInstance).findOneBy({ id });
    if (!found || !(await this.canSee(actor, found))) throw new NotFoundError('Approval', id);
    if (found.requesterId !== actor.userId) {
      throw new DomainError('forbidden', 'workflow.approval.not-requester', 'Only the requester can recall an approval');
    }
    const instance = await this.engine.lockInstance(id);
    assertTransition(INSTANCE_TRANSITIONS, 'workflow.approval.not-running', instance.status, 'recalled');
    assertVersion(expectedVersion, instance.version);
    await this.engine.recall(instance, actor.userId, comment, 'recalled');
    await this.audit.record({ actor, recordType: 'workflow.approval', recordId: id, action: 'recall', before: { status: 'running' }, after: { status: 'recalled', comment } });
    return this.get(actor, id);
  }
}
