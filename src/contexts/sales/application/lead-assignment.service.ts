import { Injectable } from '@nestjs/common';
import { auditChange } from '../../../platform/audit/audit-diff.js';
import { AuditLog } from '../../../platform/audit/audit-log.js';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import { updateVersioned } from '../../../platform/database/versioned-update.js';
import { DomainError, NotFoundError } from '../../../platform/errors/domain-error.js';
import { paginate, type Page, type PageQuery } from '../../../platform/http/pagination.js';
import type { Actor } from '../../../platform/identity/domain/actor.js';
import { unknownReference } from '../../../platform/identity/application/references.js';
import { OrgDirectory } from '../../../platform/identity/application/org-directory.js';
import { LeadAssignmentRule } from '../domain/lead-assignment-rule.entity.js';
import { matchesCriteria, matchingRules, pickAssignee, type AssignableLead, type AssignmentCriteria, type AssignmentStrategy } from '../domain/lead-assignment.rules.js';
import { OPEN_LEAD_STATUSES } from '../domain/lead-status.rules.js';
import { changedFields, present, snapshot } from './changes.js';
import { SalesAccess } from './sales-access.js';

export interface AssignmentRuleInput {
  name: string;
  priority: number;
  criteria: AssignmentCriteria;
  assignTo: { userId?: string; orgUnitId?: string };
  strategy: AssignmentStrategy;
  active?: boolean;
}

export interface Assignment {
  ownerId: string;
  orgUnitId: string | null;
  ruleId: string;
}

/**
 * Lead assignment rules (ordered criteria → a user or an org unit's members) and applying them.
 * A rule hands leads to people, so its target must be someone the caller may give leads to
 * (scope `sales.lead`): a user inside that scope, or an org unit inside the caller's part of the
 * tree whose every member is. An unknown target and one out of scope answer alike (422, the
 * field named, nothing written); a rule whose current target is out of the caller's scope cannot
 * be changed or deleted by them (403). Writing rules needs `sales.lead-assignment-rule:create|
 * update|delete` (among the built-in roles only the admin, whose scope is everything).
 */
@Injectable()
export class LeadAssignmentService {
  constructor(private readonly tx: Tx, private readonly directory: OrgDirectory, private readonly audit: AuditLog, private readonly access: SalesAccess) {}

  @Transactional()
  async create(actor: Actor, input: AssignmentRuleInput): Promise<LeadAssignmentRule> {
    const target = await this.target(actor, input.assignTo);
    const repo = this.tx.tx.getRepository(LeadAssignmentRule);
    const rule = repo.create({
      name: input.name,
      priority: input.priority,
      criteria: input.criteria,
      strategy: input.strategy,
      active: input.active ?? true,
      assignedCount: 0,
      ...target,
    });
    await repo.insert(rule);
    const created = await repo.findOneByOrFail({ id: rule.id });
    await this.audit.record({ actor, recordType: 'sales.lead-assignment-rule', recordId: created.id, action: 'create', after: snapshot(created) });
    return created;
  }

  async get(id: string): Promise<LeadAssignmentRule> {
    const rule = await this.tx.tx.getRepository(LeadAssignmentRule).findOneBy({ id });
    if (!rule) throw new NotFoundError('Lead assignment rule', id);
    return rule;
  }

  list(query: PageQuery): Promise<Page<LeadAssignmentRule>> {
    const qb = this.tx.tx.getRepository(LeadAssignmentRule).createQueryBuilder('r');
    return paginate(qb, query, { sortable: { priority: 'priority', createdAt: 'createdAt' }, defaultSort: 'priority' });
  }

  @Transactional()
  async update(actor: Actor, id: string, expectedVersion: number | undefined, input: Partial<AssignmentRuleInput>): Promise<LeadAssignmentRule> {
    const before = await this.get(id);
    await this.assertMayChange(actor, before);
    const { assignTo, ...rest } = present(input);
    const changes: Partial<LeadAssignmentRule> = { ...rest, ...(assignTo ? await this.target(actor, assignTo) : {}) };
    const fields = changedFields(before, changes);
    const after = await updateVersioned(this.tx.tx, LeadAssignmentRule, 'Lead assignment rule', id, expectedVersion, changes);
    await this.audit.record({ actor, recordType: 'sales.lead-assignment-rule', recordId: id, action: 'update', ...auditChange(before, after, fields) });
    return after;
  }

  @Transactional()
  async delete(actor: Actor, id: string): Promise<void> {
    const before = await this.get(id);
    await this.assertMayChange(actor, before);
    await this.tx.tx.getRepository(LeadAssignmentRule).delete({ id });
    await this.audit.record({ actor, recordType: 'sales.lead-assignment-rule', recordId: id, action: 'delete', before: snapshot(before) });
  }

  /**
   * The owner the rules give this lead, or null when no rule matches or the matching rule's
   * unit has no active member. Each matching rule (by priority) is read again under a row lock
   * before it is used: a rule deleted, deactivated or changed since the list was read (a
   * concurrent DELETE/PATCH) is skipped and the next matching rule decides, so a vanished rule
   * never fails the lead's creation. Round-robin then takes its turn from one UPDATE of the
   * locked rule's counter (turns are never shared); least-loaded counts the candidates' open
   * leads. Runs in the caller's transaction.
   */
  async assign(lead: AssignableLead): Promise<Assignment | null> {
    const rules = await this.tx.tx.getRepository(LeadAssignmentRule).find({ where: { active: true }, order: { priority: 'ASC', id: 'ASC' } });
    for (const listed of matchingRules(rules, lead)) {
      const rule = await this.lockCurrent(listed.id);
      if (!rule || !rule.active || !matchesCriteria(rule.criteria, lead)) continue;
      return this.applyRule(rule);
    }
    return null;
  }

  /** The rule as it is now, locked until the transaction ends (waits for a concurrent change); null when it was deleted. */
  private async lockCurrent(id: string): Promise<LeadAssignmentRule | null> {
    return this.tx.tx.getRepository(LeadAssignmentRule).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  private async applyRule(rule: LeadAssignmentRule): Promise<Assignment | null> {
    const candidates = await this.candidates(rule);
    if (candidates.length === 0) return null;
    const ids = candidates.map((c) => c.id);
    // The rule row is locked by this transaction: the UPDATE finds it and no one else shares the turn.
    const [[row]]: [Array<{ turn: string }>, number] = await this.tx.tx.query(
      `UPDATE sales.lead_assignment_rule SET assigned_count = assigned_count + 1 WHERE id = $1 RETURNING assigned_count - 1 AS turn`,
      [rule.id],
    );
    let ownerId: string | undefined;
    if (rule.strategy === 'round-robin') {
      ownerId = pickAssignee(ids, 'round-robin', Number(row.turn));
    } else {
      const loads: Array<{ ownerId: string; n: number }> = await this.tx.tx.query(
        `SELECT owner_id AS "ownerId", count(*)::int AS n FROM sales.lead WHERE owner_id = ANY($1) AND status = ANY($2) GROUP BY owner_id`,
        [ids, OPEN_LEAD_STATUSES],
      );
      ownerId = pickAssignee(ids, 'least-loaded', 0, new Map(loads.map((l) => [l.ownerId, l.n])));
    }
    const owner = candidates.find((c) => c.id === ownerId)!;
    return { ownerId: owner.id, orgUnitId: owner.orgUnitId, ruleId: rule.id };
  }

  private async candidates(rule: LeadAssignmentRule): Promise<Array<{ id: string; orgUnitId: string | null }>> {
    if (rule.assignToUserId) {
      const user = await this.directory.user(rule.assignToUserId);
      return user?.active ? [user] : [];
    }
    const users = await this.directory.activeUsersInSubtree(rule.assignToOrgUnitId!);
    return users.filter((u) => u.kind === 'employee');
  }

  private async target(actor: Actor, assignTo: { userId?: string; orgUnitId?: string }) {
    if (!!assignTo.userId === !!assignTo.orgUnitId) {
      throw new DomainError('invalid', 'validation-failed', 'assignTo names exactly one of userId or orgUnitId', {}, [
        { field: 'assignTo', message: 'give exactly one of userId or orgUnitId' },
      ]);
    }
    if (assignTo.userId && !(await this.userInScope(actor, assignTo.userId))) {
      throw unknownReference('assignTo.userId', 'user', assignTo.userId, 'sales.owner.unknown-user');
    }
    if (assignTo.orgUnitId && !(await this.orgUnitInScope(actor, assignTo.orgUnitId))) {
      throw unknownReference('assignTo.orgUnitId', 'org unit', assignTo.orgUnitId, 'sales.org-unit.unknown');
    }
    return { assignToUserId: assignTo.userId ?? null, assignToOrgUnitId: assignTo.orgUnitId ?? null };
  }

  /** An active user the caller may give leads to. */
  private async userInScope(actor: Actor, userId: string): Promise<boolean> {
    const user = await this.directory.user(userId);
    return !!user?.active && this.access.canSee(actor, 'lead', { ownerId: user.id });
  }

  /**
   * An org unit in the caller's part of the tree (their unit or one they head, or below it)
   * whose every active member — the people the rule would hand leads to — the caller may give leads to.
   */
  private async orgUnitInScope(actor: Actor, orgUnitId: string): Promise<boolean> {
    const unit = await this.directory.orgUnit(orgUnitId);
    if (!unit) return false;
    const visible = await this.access.visibleOwners(actor, 'lead');
    if (visible === null) return true;
    const ancestors = await this.directory.orgUnitAncestors(orgUnitId);
    if (!ancestors.some((u) => u.id === actor.orgUnitId || u.headUserId === actor.userId)) return false;
    const members = await this.directory.activeUsersInSubtree(orgUnitId);
    return members.every((m) => visible.includes(m.id));
  }

  /**
   * Changing or deleting a rule: its current target must be inside the caller's scope (403).
   * A caller who sees every lead owner may always (a rule whose user has left can be removed).
   */
  private async assertMayChange(actor: Actor, rule: LeadAssignmentRule): Promise<void> {
    const visible = await this.access.visibleOwners(actor, 'lead');
    if (visible === null) return;
    const inScope = rule.assignToUserId ? visible.includes(rule.assignToUserId) : await this.orgUnitInScope(actor, rule.assignToOrgUnitId!);
    if (!inScope) {
      throw new DomainError('forbidden', 'sales.lead-assignment-rule.out-of-scope', 'This rule hands leads to people outside your data scope: you cannot change or delete it');
    }
  }
}
