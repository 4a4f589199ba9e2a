import type { DirectoryOrgUnit, DirectoryUser } from '../../../platform/identity/application/org-directory.js';
import type { ApproverRule } from './process-definition.rules.js';

/** The part of OrgDirectory approver resolution needs (so the rules test against a fake). */
export interface ApproverDirectory {
  user(id: string): Promise<DirectoryUser | null>;
  orgUnit(id: string): Promise<DirectoryOrgUnit | null>;
  orgUnitAncestors(orgUnitId: string): Promise<DirectoryOrgUnit[]>;
  usersWithRoleInUnit(roleKey: string, orgUnitId: string): Promise<DirectoryUser[]>;
  usersWithRole(roleKey: string): Promise<DirectoryUser[]>;
}

export interface ResolvedApprover {
  userId: string;
  /** How the approver was found, e.g. `manager`, `role:director@<unit>`, `fallback:admin`. */
  via: string;
}

export interface ApproverResolution {
  approvers: ResolvedApprover[];
  /** Why the rule found nobody (then `approvers` are the admins, `fallback` true). */
  unresolvedReason: string | null;
  fallback: boolean;
}

export interface RequesterFacts {
  requesterId: string;
  /** From the request; when null the requester's own unit is used. */
  requesterOrgUnitId: string | null;
  /**
   * Whoever submitted the request when that is not the requester (e.g. a manager submitting a
   * rep's claim): like the requester, never an approver of it (see {@link resolveApprovers}).
   */
  submittedBy?: string | null;
}

/** The people who may not approve a request: its requester and its submitter. */
export function selfApprovers(requester: Pick<RequesterFacts, 'requesterId' | 'submittedBy'>): Set<string> {
  return new Set([requester.requesterId, ...(requester.submittedBy ? [requester.submittedBy] : [])]);
}

/** The role that receives a step whose approver cannot be resolved. */
export const FALLBACK_ROLE = 'admin';

const active = (u: DirectoryUser | null): u is DirectoryUser => !!u && u.active;

async function managerChain(dir: ApproverDirectory, userId: string, levels: number): Promise<DirectoryUser | string> {
  const start = await dir.user(userId);
  if (!start) return `user ${userId} is unknown`;
  let current: DirectoryUser = start;
  for (let level = 1; level <= levels; level++) {
    if (!current.managerId) return level === 1 ? `${current.name} has no manager` : `${current.name} (level ${level - 1}) has no manager`;
    const next: DirectoryUser | null = await dir.user(current.managerId);
    if (!next) return `manager ${current.managerId} is unknown`;
    current = next;
  }
  return current.active ? current : `manager ${current.name} is inactive`;
}

/** Hops up a manager line at most, when skipping people who may not approve. */
const MAX_SKIP_HOPS = 10;

/**
 * `user` itself, or — when `user` may not approve (requester or submitter) — the first active
 * manager above them who may, with how many levels up that is; or why there is none.
 */
async function firstAllowedUpFrom(dir: ApproverDirectory, user: DirectoryUser, excluded: Set<string>): Promise<{ user: DirectoryUser; hops: number } | string> {
  let current = user;
  for (let hops = 0; hops <= MAX_SKIP_HOPS; hops++) {
    if (!excluded.has(current.id)) return { user: current, hops };
    if (!current.managerId) return `${current.name} may not approve their own request and has no manager`;
    const next = await dir.user(current.managerId);
    if (!next) return `manager ${current.managerId} is unknown`;
    if (!next.active) return `${current.name} may not approve their own request and their manager ${next.name} is inactive`;
    current = next;
  }
  return `no one may approve within ${MAX_SKIP_HOPS} levels above ${user.name}`;
}

/** One approver found by a rule, moved up the manager line past the requester/submitter (`via` gets `+up:N`). */
async function allowed(dir: ApproverDirectory, user: DirectoryUser, via: string, excluded: Set<string>): Promise<ResolvedApprover[] | string> {
  const found = await firstAllowedUpFrom(dir, user, excluded);
  if (typeof found === 'string') return found;
  return [{ userId: found.user.id, via: found.hops ? `${via}+up:${found.hops}` : via }];
}

/**
 * Who a rule names (before delegations), or why nobody. The requester and the submitter are
 * never approvers of their own request: role holders are the other holders (the nearest unit up
 * the tree where someone else holds the role); a named user, manager or unit head who is the
 * requester/submitter is replaced by the first manager above them who is neither.
 */
export async function resolveRule(rule: ApproverRule, requester: RequesterFacts, dir: ApproverDirectory): Promise<ResolvedApprover[] | string> {
  const excluded = selfApprovers(requester);
  switch (rule.type) {
    case 'user': {
      const user = await dir.user(rule.userId);
      return active(user) ? allowed(dir, user, 'user', excluded) : `user ${rule.userId} is unknown or inactive`;
    }
    case 'manager':
    case 'manager-level': {
      const levels = rule.type === 'manager' ? 1 : rule.levels;
      const found = await managerChain(dir, requester.requesterId, levels);
      return typeof found === 'string' ? found : allowed(dir, found, rule.type === 'manager' ? 'manager' : `manager-level:${levels}`, excluded);
    }
    case 'role': {
      let unitId = requester.requesterOrgUnitId;
      if (!unitId) unitId = (await dir.user(requester.requesterId))?.orgUnitId ?? null;
      if (!unitId) return `the requester has no org unit to look for role ${rule.roleKey} in`;
      let skipped = false;
      for (const unit of await dir.orgUnitAncestors(unitId)) {
        const all = (await dir.usersWithRoleInUnit(rule.roleKey, unit.id)).filter(active);
        const holders = all.filter((u) => !excluded.has(u.id));
        skipped ||= holders.length < all.length;
        if (holders.length) return holders.map((u) => ({ userId: u.id, via: `role:${rule.roleKey}@${unit.id}` }));
      }
      return skipped
        ? `nobody but the requester holds role ${rule.roleKey} in the requester's org unit or its ancestors`
        : `nobody holds role ${rule.roleKey} in the requester's org unit or its ancestors`;
    }
    case 'org-unit-head': {
      const unit = await dir.orgUnit(rule.orgUnitId);
      if (!unit) return `org unit ${rule.orgUnitId} is unknown`;
      if (!unit.headUserId) return `org unit ${unit.name} has no head`;
      const head = await dir.user(unit.headUserId);
      return active(head) ? allowed(dir, head, `org-unit-head:${unit.id}`, excluded) : `the head of ${unit.name} is inactive`;
    }
  }
}

/**
 * The approvers of a step. A rule that finds nobody is never skipped: the step goes to every
 * active holder of the admin role, and the reason is returned so it can be recorded. Neither
 * the rule nor the fallback ever names the requester or the submitter (see {@link resolveRule}).
 */
export async function resolveApprovers(rule: ApproverRule, requester: RequesterFacts, dir: ApproverDirectory): Promise<ApproverResolution> {
  const found = await resolveRule(rule, requester, dir);
  if (typeof found !== 'string') return { approvers: dedupe(found), unresolvedReason: null, fallback: false };
  const excluded = selfApprovers(requester);
  const admins = (await dir.usersWithRole(FALLBACK_ROLE)).filter(active).filter((u) => !excluded.has(u.id));
  return { approvers: dedupe(admins.map((u) => ({ userId: u.id, via: `fallback:${FALLBACK_ROLE}` }))), unresolvedReason: found, fallback: true };
}

/**
 * An escalation target without the request's requester/submitter: when the approver's manager
 * is one of them, the escalation goes on up their manager line (then to the admins); admins who
 * are one of them are left out. Unchanged when nobody is excluded (the common case, no reads).
 */
export async function escalationWithoutSelf(target: ApproverResolution, fromUserId: string, excluded: Set<string>, dir: ApproverDirectory): Promise<ApproverResolution> {
  if (!target.approvers.some((a) => excluded.has(a.userId))) return target;
  if (!target.fallback) {
    const manager = await dir.user(target.approvers[0].userId);
    const found = manager ? await firstAllowedUpFrom(dir, manager, excluded) : `manager ${target.approvers[0].userId} is unknown`;
    if (typeof found !== 'string') return { approvers: [{ userId: found.user.id, via: `escalation:manager+up:${found.hops}` }], unresolvedReason: null, fallback: false };
    const admins = (await dir.usersWithRole(FALLBACK_ROLE)).filter(active).filter((u) => u.id !== fromUserId && !excluded.has(u.id));
    return { approvers: admins.map((u) => ({ userId: u.id, via: `fallback:${FALLBACK_ROLE}` })), unresolvedReason: found, fallback: true };
  }
  return { ...target, approvers: target.approvers.filter((a) => !excluded.has(a.userId)) };
}

/** The escalation target for an approver: their manager, else the admins. */
export async function escalationTargets(approverId: string, dir: ApproverDirectory): Promise<ApproverResolution> {
  const found = await managerChain(dir, approverId, 1);
  if (typeof found !== 'string') return { approvers: [{ userId: found.id, via: 'escalation:manager' }], unresolvedReason: null, fallback: false };
  const admins = (await dir.usersWithRole(FALLBACK_ROLE)).filter(active).filter((u) => u.id !== approverId);
  return { approvers: admins.map((u) => ({ userId: u.id, via: `fallback:${FALLBACK_ROLE}` })), unresolvedReason: found, fallback: true };
}

/** The part of OrgDirectory bulk escalation needs. */
export interface BulkEscalationDirectory {
  users(ids: string[]): Promise<DirectoryUser[]>;
  usersWithRole(roleKey: string): Promise<DirectoryUser[]>;
}

/**
 * {@link escalationTargets} for many approvers at once, with three directory reads at most
 * (the approvers, their managers, the admins if someone has no usable manager). Same answers.
 */
export async function escalationTargetsFor(approverIds: string[], dir: BulkEscalationDirectory): Promise<Map<string, ApproverResolution>> {
  const ids = [...new Set(approverIds)];
  const out = new Map<string, ApproverResolution>();
  if (ids.length === 0) return out;
  const users = new Map((await dir.users(ids)).map((u) => [u.id, u]));
  const managerIds = [...new Set([...users.values()].map((u) => u.managerId).filter((m): m is string => !!m))];
  const managers = new Map((managerIds.length ? await dir.users(managerIds) : []).map((u) => [u.id, u]));
  let admins: DirectoryUser[] | null = null;
  for (const id of ids) {
    const start = users.get(id);
    let found: DirectoryUser | string;
    if (!start) found = `user ${id} is unknown`;
    else if (!start.managerId) found = `${start.name} has no manager`;
    else {
      const next = managers.get(start.managerId);
      found = !next ? `manager ${start.managerId} is unknown` : next.active ? next : `manager ${next.name} is inactive`;
    }
    if (typeof found !== 'string') {
      out.set(id, { approvers: [{ userId: found.id, via: 'escalation:manager' }], unresolvedReason: null, fallback: false });
      continue;
    }
    admins ??= (await dir.usersWithRole(FALLBACK_ROLE)).filter(active);
    out.set(id, { approvers: admins.filter((u) => u.id !== id).map((u) => ({ userId: u.id, via: `fallback:${FALLBACK_ROLE}` })), unresolvedReason: found, fallback: true });
  }
  return out;
}

function dedupe(list: ResolvedApprover[]): ResolvedApprover[] {
  const seen = new Set<string>();
  return list.filter((a) => (seen.has(a.userId) ? false : (seen.add(a.userId), true)));
}

export interface DelegationWindow {
  fromUserId: string;
  toUserId: string;
  startsAt: Date;
  endsAt: Date;
}

/**
 * Where a new task for `userId` goes at instant `at`: followed through delegations whose
 * window contains `at` (start inclusive, end exclusive), at most 5 hops, stopping at a cycle.
 * Returns the final assignee and the chain of users passed through.
 */
export function applyDelegations(userId: string, delegations: DelegationWindow[], at: Date): { assigneeId: string; chain: string[] } {
  const chain = [userId];
  let current = userId;
  for (let hop = 0; hop < 5; hop++) {
    const d = delegations.find((x) => x.fromUserId === current && x.startsAt <= at && at < x.endsAt);
    if (!d || chain.includes(d.toUserId)) break;
    current = d.toUserId;
    chain.push(current);
  }
  return { assigneeId: current, chain };
}

/**
 * {@link applyDelegations}, unless the chain ends at someone who may not approve this request
 * (its requester or submitter): then the task stays with `userId`.
 */
export function routeAvoidingSelf(userId: string, delegations: DelegationWindow[], at: Date, excluded: Set<string>): { assigneeId: string; chain: string[] } {
  const routed = applyDelegations(userId, delegations, at);
  return excluded.has(routed.assigneeId) ? { assigneeId: userId, chain: [userId] } : routed;
}
