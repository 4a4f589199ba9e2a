import type { DirectoryOrgUnit, DirectoryUser } from '../../../platform/identity/application/org-directory';
import { applyDelegations, escalationTargets, escalationTargetsFor, escalationWithoutSelf, resolveApprovers, routeAvoidingSelf, type ApproverDirectory } from './approver.rules';

const unit = (id: string, parentId: string | null, headUserId: string | null = null): DirectoryOrgUnit => ({ id, name: id, type: 'team', parentId, headUserId });
const user = (id: string, orgUnitId: string | null, managerId: string | null, roles: string[] = [], active = true): DirectoryUser => ({
  id, email: `${id}@x`, name: id, kind: 'employee', orgUnitId, managerId, roles, active, accountId: null,
});

function directory(users: DirectoryUser[], units: DirectoryOrgUnit[]): ApproverDirectory {
  const u = new Map(users.map((x) => [x.id, x]));
  const o = new Map(units.map((x) => [x.id, x]));
  return {
    user: async (id) => u.get(id) ?? null,
    orgUnit: async (id) => o.get(id) ?? null,
    orgUnitAncestors: async (id) => {
      const out: DirectoryOrgUnit[] = [];
      for (let cur = o.get(id); cur; cur = cur.parentId ? o.get(cur.parentId) : undefined) out.push(cur);
      return out;
    },
    usersWithRoleInUnit: async (role, unitId) => users.filter((x) => x.active && x.orgUnitId === unitId && x.roles.includes(role)),
    usersWithRole: async (role) => users.filter((x) => x.active && x.roles.includes(role)),
  };
}

const dir = directory(
  [
    user('ceo', 'hq', null, ['director']),
    user('vp', 'region', 'ceo'),
    user('boss', 'team', 'vp'),
    user('rep', 'team', 'boss'),
    user('loner', 'team', null),
    user('ex', 'team', null, ['director'], false),
    user('admin1', 'hq', null, ['admin']),
    user('regional-director', 'region', 'ceo', ['director']),
  ],
  [unit('hq', null, 'ceo'), unit('region', 'hq', 'vp'), unit('team', 'region'), unit('headless', 'hq')],
);
const rep = { requesterId: 'rep', requesterOrgUnitId: 'team' };

describe('approver resolution', () => {
  it('resolves each rule type', async () => {
    expect((await resolveApprovers({ type: 'manager' }, rep, dir)).approvers).toEqual([{ userId: 'boss', via: 'manager' }]);
    expect((await resolveApprovers({ type: 'manager-level', levels: 2 }, rep, dir)).approvers.map((a) => a.userId)).toEqual(['vp']);
    expect((await resolveApprovers({ type: 'manager-level', levels: 3 }, rep, dir)).approvers.map((a) => a.userId)).toEqual(['ceo']);
    expect((await resolveApprovers({ type: 'user', userId: 'vp' }, rep, dir)).approvers.map((a) => a.userId)).toEqual(['vp']);
    expect((await resolveApprovers({ type: 'org-unit-head', orgUnitId: 'region' }, rep, dir)).approvers.map((a) => a.userId)).toEqual(['vp']);
  });

  it('finds a role in the nearest unit up the tree, skipping inactive holders', async () => {
    const r = await resolveApprovers({ type: 'role', roleKey: 'director' }, rep, dir);
    expect(r).toEqual({ approvers: [{ userId: 'regional-director', via: 'role:director@region' }], unresolvedReason: null, fallback: false });
    const fromHq = await resolveApprovers({ type: 'role', roleKey: 'director' }, { requesterId: 'vp', requesterOrgUnitId: null }, dir);
    expect(fromHq.approvers.map((a) => a.userId)).toEqual(['regional-director']);
  });

  it('falls back to the admins with the reason, never to nobody', async () => {
    const noManager = await resolveApprovers({ type: 'manager' }, { requesterId: 'loner', requesterOrgUnitId: 'team' }, dir);
    expect(noManager).toEqual({ approvers: [{ userId: 'admin1', via: 'fallback:admin' }], unresolvedReason: 'loner has no manager', fallback: true });
    const tooHigh = await resolveApprovers({ type: 'manager-level', levels: 4 }, rep, dir);
    expect(tooHigh.fallback).toBe(true);
    const headless = await resolveApprovers({ type: 'org-unit-head', orgUnitId: 'headless' }, rep, dir);
    expect(headless.unresolvedReason).toBe('org unit headless has no head');
    expect((await resolveApprovers({ type: 'role', roleKey: 'cfo' }, rep, dir)).unresolvedReason).toContain('nobody holds role cfo');
    expect((await resolveApprovers({ type: 'user', userId: 'ex' }, rep, dir)).fallback).toBe(true);
  });

  it('escalates to the approver’s manager, else the admins', async () => {
    expect((await escalationTargets('boss', dir)).approvers).toEqual([{ userId: 'vp', via: 'escalation:manager' }]);
    expect((await escalationTargets('ceo', dir)).approvers.map((a) => a.userId)).toEqual(['admin1']);
  });

  it('escalationTargetsFor answers like escalationTargets, for many approvers in three reads at most', async () => {
    const people = [
      user('ceo', 'hq', null), user('vp', 'region', 'ceo'), user('boss', 'team', 'vp'), user('gone-boss', 'team', 'retired'),
      user('sleepy', 'team', 'ex'), user('ex', 'team', null, [], false), user('admin1', 'hq', null, ['admin']), user('admin2', 'hq', 'ceo', ['admin']),
    ];
    const single = directory(people, []);
    let reads = 0;
    const bulk = {
      users: async (ids: string[]) => (reads++, people.filter((p) => ids.includes(p.id))),
      usersWithRole: async (role: string) => (reads++, people.filter((p) => p.active && p.roles.includes(role))),
    };
    const ids = ['boss', 'ceo', 'gone-boss', 'sleepy', 'nobody', 'admin1', 'admin2', 'boss'];
    const answers = await escalationTargetsFor(ids, bulk);
    expect(reads).toBe(3);
    for (const id of ids) expect({ id, ...answers.get(id) }).toEqual({ id, ...(await escalationTargets(id, single)) });
    expect(answers.get('sleepy')?.unresolvedReason).toBe('manager ex is inactive');
    expect(answers.get('admin1')?.approvers.map((a) => a.userId)).toEqual(['admin2']);
  });
});

describe('no self-approval: the requester and the submitter never approve their own request', () => {
  const people = directory(
    [
      user('ceo', 'hq', null, ['director', 'admin']),
      user('vp', 'region', 'ceo', ['director']),
      user('boss', 'team', 'vp', ['finance']),
      user('rep', 'team', 'boss'),
      user('clerk', 'team', 'boss', ['finance']),
      user('solo', 'solo-team', 'vp', ['auditor']),
      user('admin1', 'hq', null, ['admin']),
    ],
    [unit('hq', null, 'ceo'), unit('region', 'hq', 'vp'), unit('team', 'region', 'boss'), unit('solo-team', 'region')],
  );

  it('a manager who submits a report’s request is skipped: their own manager approves', async () => {
    const r = await resolveApprovers({ type: 'manager' }, { requesterId: 'rep', requesterOrgUnitId: 'team', submittedBy: 'boss' }, people);
    expect(r).toEqual({ approvers: [{ userId: 'vp', via: 'manager+up:1' }], unresolvedReason: null, fallback: false });
    const twoUp = await resolveApprovers({ type: 'manager-level', levels: 2 }, { requesterId: 'rep', requesterOrgUnitId: 'team', submittedBy: 'vp' }, people);
    expect(twoUp.approvers).toEqual([{ userId: 'ceo', via: 'manager-level:2+up:1' }]);
  });

  it('a role step goes to the other holders, or up the tree when the requester is the only one', async () => {
    const finance = await resolveApprovers({ type: 'role', roleKey: 'finance' }, { requesterId: 'boss', requesterOrgUnitId: 'team' }, people);
    expect(finance.approvers).toEqual([{ userId: 'clerk', via: 'role:finance@team' }]);
    const director = await resolveApprovers({ type: 'role', roleKey: 'director' }, { requesterId: 'vp', requesterOrgUnitId: 'region' }, people);
    expect(director.approvers).toEqual([{ userId: 'ceo', via: 'role:director@hq' }]);
    const alone = await resolveApprovers({ type: 'role', roleKey: 'auditor' }, { requesterId: 'solo', requesterOrgUnitId: 'solo-team' }, people);
    expect(alone).toMatchObject({ fallback: true, unresolvedReason: "nobody but the requester holds role auditor in the requester's org unit or its ancestors" });
    expect(alone.approvers.map((a) => a.userId)).toEqual(['ceo', 'admin1']);
  });

  it('a named user or unit head who is the requester is replaced by their manager', async () => {
    expect((await resolveApprovers({ type: 'user', userId: 'boss' }, { requesterId: 'boss', requesterOrgUnitId: 'team' }, people)).approvers).toEqual([{ userId: 'vp', via: 'user+up:1' }]);
    expect((await resolveApprovers({ type: 'org-unit-head', orgUnitId: 'team' }, { requesterId: 'boss', requesterOrgUnitId: 'team' }, people)).approvers).toEqual([
      { userId: 'vp', via: 'org-unit-head:team+up:1' },
    ]);
    const top = await resolveApprovers({ type: 'org-unit-head', orgUnitId: 'hq' }, { requesterId: 'ceo', requesterOrgUnitId: 'hq' }, people);
    expect(top).toMatchObject({ fallback: true, unresolvedReason: 'ceo may not approve their own request and has no manager' });
    expect(top.approvers.map((a) => a.userId)).toEqual(['admin1']);
  });

  it('escalations pass over the requester too, and delegations never hand them the task', async () => {
    const toBoss = await escalationTargets('clerk', people);
    expect(await escalationWithoutSelf(toBoss, 'clerk', new Set(['boss']), people)).toEqual({ approvers: [{ userId: 'vp', via: 'escalation:manager+up:1' }], unresolvedReason: null, fallback: false });
    expect(await escalationWithoutSelf(toBoss, 'clerk', new Set(['rep']), people)).toBe(toBoss);
    const window = [{ fromUserId: 'boss', toUserId: 'rep', startsAt: new Date('2026-01-01'), endsAt: new Date('2027-01-01') }];
    const at = new Date('2026-06-01');
    expect(routeAvoidingSelf('boss', window, at, new Set(['rep']))).toEqual({ assigneeId: 'boss', chain: ['boss'] });
    expect(routeAvoidingSelf('boss', window, at, new Set(['other']))).toEqual({ assigneeId: 'rep', chain: ['boss', 'rep'] });
  });
});

describe('delegations', () => {
  const at = new Date('2026-03-10T12:00:00Z');
  const d = (fromUserId: string, toUserId: string, startsAt: string, endsAt: string) => ({ fromUserId, toUserId, startsAt: new Date(startsAt), endsAt: new Date(endsAt) });

  it('reroutes within the window only (start inclusive, end exclusive)', () => {
    const list = [d('boss', 'deputy', '2026-03-10T12:00:00Z', '2026-03-11T00:00:00Z')];
    expect(applyDelegations('boss', list, at)).toEqual({ assigneeId: 'deputy', chain: ['boss', 'deputy'] });
    expect(applyDelegations('boss', list, new Date('2026-03-11T00:00:00Z')).assigneeId).toBe('boss');
    expect(applyDelegations('boss', list, new Date('2026-03-10T11:59:59Z')).assigneeId).toBe('boss');
    expect(applyDelegations('other', list, at).assigneeId).toBe('other');
  });

  it('follows chains and stops at cycles', () => {
    const list = [d('a', 'b', '2026-01-01', '2027-01-01'), d('b', 'c', '2026-01-01', '2027-01-01'), d('c', 'a', '2026-01-01', '2027-01-01')];
    expect(applyDelegations('a', list, at)).toEqual({ assigneeId: 'c', chain: ['a', 'b', 'c'] });
  });
});
