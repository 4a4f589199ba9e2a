import { Injectable } from '@nestjs/common';
import { AuditLog } from '../../../platform/audit/audit-log.js';
import { newId } from '../../../platform/database/base.entity.js';
import { isUuid } from '../../../platform/database/ids.js';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import { updateVersioned } from '../../../platform/database/versioned-update.js';
import type { DomainEvent, NewDomainEvent } from '../../../platform/events/domain-event.js';
import { ConsumerInterests } from '../../../platform/events/consumer-interests.js';
import { EventPublisher } from '../../../platform/events/event-publisher.js';
import { DomainError, NotFoundError } from '../../../platform/errors/domain-error.js';
import { type Page, type PageQuery, paginate } from '../../../platform/http/pagination.js';
import type { Actor } from '../../../platform/identity/domain/actor.js';
import { OrgDirectory } from '../../../platform/identity/application/org-directory.js';
import { Clock } from '../../../platform/scheduling/clock.js';
import { WorkflowTask } from '../domain/approval-instance.entity.js';
import { AutomationExecution, AutomationRule, type ExecutionStatus } from '../domain/automation-rule.entity.js';
import { EVENT_TYPE, buildCommandPayload, commandEventType, isAutomationOutput, validateAutomationAction, type AutomationAction, type AutomationTarget } from '../domain/automation.rules.js';
import { ANY_PATH, evaluateCondition, readPath, validateCondition, type Condition } from '../domain/condition.rules.js';
import { addIsoDuration } from '../domain/process-definition.rules.js';
import type { AutomationNotificationRequested, AutomationTaskCreated } from '../public/events.js';
import { ApprovalEngine } from './approval-engine.service.js';

export interface RuleInput {
  name: string;
  eventType: string;
  condition?: Condition | null;
  action: AutomationAction;
  enabled?: boolean;
}

/** At most this many users get a task or notification from one role target. */
export const MAX_ROLE_RECIPIENTS = 50;

function validateRule(input: Partial<RuleInput>): void {
  const errors: { field: string; message: string }[] = [];
  if (input.eventType !== undefined && (!EVENT_TYPE.test(input.eventType) || isAutomationOutput(input.eventType))) {
    errors.push({ field: 'eventType', message: 'must be an event type <context>.<aggregate>.<event>, not workflow.automation.*' });
  }
  if (input.condition !== undefined && input.condition !== null) errors.push(...validateCondition(input.condition, 'condition', ANY_PATH));
  if (input.action !== undefined) errors.push(...validateAutomationAction(input.action));
  if (errors.length) throw new DomainError('invalid', 'validation-failed', `The rule is invalid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, {}, errors);
}

/** Automation rules as data, their execution on published events, and the execution log. */
/** The consumer that runs automation rules; it is delivered only the event types rules name. */
export const AUTOMATION_CONSUMER = 'workflow.automation-rules';

@Injectable()
export class AutomationService {
  constructor(
    private readonly tx: Tx,
    private readonly audit: AuditLog,
    private readonly events: EventPublisher,
    private readonly directory: OrgDirectory,
    private readonly clock: Clock,
    private readonly engine: ApprovalEngine,
    private readonly interests: ConsumerInterests,
  ) {}

  private get em() {
    return this.tx.tx;
  }

  @Transactional()
  async list(query: PageQuery & { eventType?: string; enabled?: boolean }): Promise<Page<AutomationRule>> {
    const qb = this.em.getRepository(AutomationRule).createQueryBuilder('r');
    if (query.eventType) qb.andWhere('r.eventType = :eventType', { eventType: query.eventType });
    if (query.enabled !== undefined) qb.andWhere('r.enabled = :enabled', { enabled: query.enabled });
    return paginate(qb, query, { sortable: { createdAt: 'createdAt' }, defaultSort: 'createdAt' });
  }

  @Transactional()
  async get(id: string): Promise<AutomationRule> {
    const rule = await this.em.getRepository(AutomationRule).findOneBy({ id });
    if (!rule) throw new NotFoundError('Automation rule', id);
    return rule;
  }

  @Transactional()
  async create(actor: Actor, input: RuleInput): Promise<AutomationRule> {
    validateRule(input);
    const repo = this.em.getRepository(AutomationRule);
    const rule = repo.create({ id: newId(), name: input.name, eventType: input.eventType, condition: input.condition ?? null, action: input.action, enabled: input.enabled ?? true, createdBy: actor.userId });
    await repo.insert(rule);
    await this.interests.add(AUTOMATION_CONSUMER, rule.eventType);
    await this.audit.record({ actor, recordType: 'workflow.automation-rule', recordId: rule.id, action: 'create', after: { name: rule.name, eventType: rule.eventType, condition: rule.condition, action: rule.action, enabled: rule.enabled } });
    return repo.findOneByOrFail({ id: rule.id });
  }

  @Transactional()
  async update(actor: Actor, id: string, changes: Partial<RuleInput>, expectedVersion?: number): Promise<AutomationRule> {
    validateRule(changes);
    const before = await this.get(id);
    const rule = await updateVersioned(this.em, AutomationRule, 'Automation rule', id, expectedVersion, changes as Partial<AutomationRule>);
    await this.interests.add(AUTOMATION_CONSUMER, rule.eventType);
    const changed = Object.keys(changes) as (keyof RuleInput)[];
    await this.audit.record({
      actor,
      recordType: 'workflow.automation-rule',
      recordId: id,
      action: 'update',
      before: Object.fromEntries(changed.map((k) => [k, before[k]])),
      after: Object.fromEntries(changed.map((k) => [k, rule[k]])),
    });
    return rule;
  }

  @Transactional()
  async executions(id: string, query: PageQuery): Promise<Page<AutomationExecution>> {
    await this.get(id);
    const qb = this.em.getRepository(AutomationExecution).createQueryBuilder('x').where('x.ruleId = :id', { id });
    return paginate(qb, query, { sortable: { createdAt: 'createdAt' }, defaultSort: '-createdAt' });
  }

  /**
   * Runs every enabled rule for the event's type. Each rule fires at most once per event: the
   * execution row `(rule_id, event_id)` is claimed first, a redelivery finds it taken.
   */
  @Transactional()
  async onEvent(event: DomainEvent): Promise<number> {
    if (isAutomationOutput(event.type)) return 0;
    const rules = await this.em.getRepository(AutomationRule).find({ where: { eventType: event.type, enabled: true }, order: { createdAt: 'ASC' } });
    let fired = 0;
    for (const rule of rules) {
      const claimed = await this.em.query(
        `INSERT INTO workflow.automation_execution (id, rule_id, event_id, event_type, status, result) VALUES ($1, $2, $3, $4, 'executed', '{}')
         ON CONFLICT (rule_id, event_id) DO NOTHING RETURNING id`,
        [newId(), rule.id, event.id, event.type],
      );
      if (claimed.length === 0) continue;
      let status: ExecutionStatus = 'executed';
      let result: Record<string, unknown>;
      if (!evaluateCondition(rule.condition, event.payload)) {
        status = 'skipped';
        result = { reason: 'condition does not hold' };
      } else {
        try {
          result = await this.perform(rule, event);
          fired++;
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          status = 'failed';
          result = { error: error.detail };
        }
      }
      await this.em.query(`UPDATE workflow.automation_execution SET status = $2, result = $3 WHERE id = $1`, [claimed[0].id, status, JSON.stringify(result)]);
    }
    return fired;
  }

  private async targets(target: AutomationTarget, payload: unknown): Promise<string[]> {
    switch (target.type) {
      case 'user':
        return [target.userId];
      case 'role':
        return (await this.directory.usersWithRole(target.roleKey)).slice(0, MAX_ROLE_RECIPIENTS).map((u) => u.id);
      case 'owner': {
        const id = readPath(payload, target.field);
        if (!isUuid(id)) throw new DomainError('rule-violated', 'workflow.automation.no-owner', `payload field ${target.field} holds no user id`);
        return [id];
      }
    }
  }

  private async perform(rule: AutomationRule, event: DomainEvent): Promise<Record<string, unknown>> {
    const action = rule.action;
    switch (action.type) {
      case 'create-task': {
        const assignees = await this.targets(action.assignee, event.payload);
        if (assignees.length === 0) throw new DomainError('rule-violated', 'workflow.automation.no-assignee', 'nobody to assign the task to');
        const dueAt = action.dueIn ? addIsoDuration(this.clock.now(), action.dueIn) : null;
        const repo = this.em.getRepository(WorkflowTask);
        const tasks = assignees.map((assigneeId) =>
          repo.create({
            id: newId(), kind: 'action', instanceId: null, stepId: null, assigneeId, originalAssigneeId: null, delegatedFromTaskId: null,
            via: `automation:${rule.id}`, title: action.title, status: 'open', decidedBy: null, decidedAt: null, comment: null, dueAt, ruleId: rule.id, sourceEventId: event.id,
          }),
        );
        await repo.insert(tasks);
        const published: NewDomainEvent<object>[] = [];
        for (const task of tasks) {
          published.push({
            type: 'workflow.automation.task-created',
            aggregateType: 'workflow.automation-rule',
            aggregateId: rule.id,
            payload: { ruleId: rule.id, taskId: task.id, assigneeId: task.assigneeId, title: task.title, sourceEventId: event.id, sourceEventType: event.type } satisfies AutomationTaskCreated,
          });
          published.push(this.engine.assignedEvent(task, null));
        }
        await this.events.publishAll(published);
        return { taskIds: tasks.map((t) => t.id), assigneeIds: assignees };
      }
      case 'notify': {
        const recipientIds = await this.targets(action.recipients, event.payload);
        const published = await this.events.publish<AutomationNotificationRequested>({
          type: 'workflow.automation.notification-requested',
          aggregateType: 'workflow.automation-rule',
          aggregateId: rule.id,
          payload: { ruleId: rule.id, recipientIds, message: action.message, sourceEventId: event.id, sourceEventType: event.type },
        });
        return { eventId: published.id, recipientIds };
      }
      case 'command': {
        const type = commandEventType(action.command);
        const published = await this.events.publish({ type, aggregateType: 'workflow.automation-rule', aggregateId: rule.id, payload: buildCommandPayload(action.payload, event.payload, event.id) });
        return { eventId: published.id, eventType: type };
      }
    }
  }
}
