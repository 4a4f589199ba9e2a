import { randomUUID } from 'node:crypto';
import { hasPermission } from '../../src/platform/identity/domain/actor';
import { authHeader, type FixtureUser } from '../support/identity';
import { expectProblem, type TestApp } from '../support/test-app';
import { ok, salesFixtures, STAGES, startSalesApp } from './given';

/**
 * Issue #14 (3): the shared Sales configuration — org-wide settings, the default sales method,
 * lead assignment rules, capture forms — is administered by the admin, not by the built-in
 * sales managers and directors, who keep their record work and read the set-up.
 *
 *   group
 *   ├── branch A ── team A   manager M (sales-manager), reps A1, A2
 *   └── branch B ── team B   rep B1, router R (custom role: writes assignment rules, team scope)
 */
let app: TestApp;
let given: ReturnType<typeof salesFixtures>;
let admin: { auth: { authorization: string } };
let teamA: string;
let teamB: string;
let branchB: string;
let manager: FixtureUser;
let director: FixtureUser;
let repA1: FixtureUser;
let repA2: FixtureUser;
let repB1: FixtureUser;

const rules = '/api/v1/sales/lead-assignment-rules';
const countRules = async () => (await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM sales.lead_assignment_rule`))[0].n;
const auditCount = async (recordType: string) => (await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM platform.audit_entries WHERE record_type = $1`, [recordType]))[0].n;

beforeAll(async () => {
  app = await startSalesApp();
  given = salesFixtures(app);
  admin = { auth: authHeader(await given.identity.adminToken()) };
  const group = await given.identity.orgUnit({ type: 'group' });
  const branchA = await given.identity.orgUnit({ type: 'branch', parentId: group.id });
  branchB = (await given.identity.orgUnit({ type: 'branch', parentId: group.id })).id;
  teamA = (await given.identity.orgUnit({ type: 'team', parentId: branchA.id })).id;
  teamB = (await given.identity.orgUnit({ type: 'team', parentId: branchB })).id;
  director = await given.identity.user({ roles: ['sales-director'], orgUnitId: group.id });
  manager = await given.identity.user({ roles: ['sales-manager'], orgUnitId: teamA });
  repA1 = await given.identity.user({ roles: ['sales-rep'], orgUnitId: teamA });
  repA2 = await given.identity.user({ roles: ['sales-rep'], orgUnitId: teamA });
  repB1 = await given.identity.user({ roles: ['sales-rep'], orgUnitId: teamB });
});
afterAll(() => app?.close());

describe('lead assignment rules and capture forms', () => {
  it('a team manager’s catch-all rule → 403, nothing written; another branch’s lead and a web-form lead are not routed to him', async () => {
    const rulesBefore = await countRules();
    const audited = await auditCount('sales.lead-assignment-rule');
    const catchAll = { name: 'Everything to me', priority: 0, criteria: {}, assignTo: { userId: manager.id }, strategy: 'round-robin' };
    const refused = await app.http.post(rules).set(manager.auth).send(catchAll);
    expectProblem(refused, 403, 'permission-denied');
    expect(refused.body.permission).toBe('sales.lead-assignment-rule:create');
    const director403 = await app.http.post(rules).set(director.auth).send({ ...catchAll, assignTo: { userId: director.id } });
    expectProblem(director403, 403, 'permission-denied');
    expect(await countRules()).toBe(rulesBefore);
    expect(await auditCount('sales.lead-assignment-rule')).toBe(audited);
    expectProblem(await app.http.post('/api/v1/sales/lead-capture-forms').set(manager.auth).send({ name: 'My own form' }), 403, 'permission-denied');

    // The leads go where they went before: the other branch's rep keeps his lead, the web lead waits in the pool.
    const otherBranchLead = await given.lead(repB1);
    expect(otherBranchLead).toMatchObject({ ownerId: repB1.id, assignmentRuleId: null });
    const form = ok(await app.http.post('/api/v1/sales/lead-capture-forms').set(admin.auth).send({ name: 'Website', ratePerMinute: 100 }));
    const captured = ok(await app.http.post(`/api/v1/sales/lead-capture/${form.formKey}`).send({ lastName: 'Visitor', company: 'Web Co' }));
    expect(await app.sql(`SELECT owner_id, status FROM sales.lead WHERE id = $1`, [captured.id])).toEqual([{ owner_id: null, status: 'new' }]);
  });

  it('managers and directors still read the rules and the forms', async () => {
    for (const reader of [manager, director]) {
      await app.http.get(rules).set(reader.auth).expect(200);
      await app.http.get('/api/v1/sales/lead-capture-forms').set(reader.auth).expect(200);
    }
  });

  it('the admin still writes rules, and they route leads', async () => {
    const rule = ok(await app.http.post(rules).set(admin.auth).send({ name: 'Nordics', priority: 5, criteria: { regions: ['NORDICS'] }, assignTo: { orgUnitId: teamA }, strategy: 'round-robin' }));
    const lead = await given.lead(repB1, { region: 'Nordics' });
    expect([repA1.id, repA2.id, manager.id]).toContain(lead.ownerId);
    expect(lead.assignmentRuleId).toBe(rule.id);
    expectProblem(await app.http.patch(`${rules}/${rule.id}`).set(manager.auth).send({ criteria: {} }), 403, 'permission-denied');
    expectProblem(await app.http.delete(`${rules}/${rule.id}`).set(manager.auth), 403, 'permission-denied');
    ok(await app.http.patch(`${rules}/${rule.id}`).set(admin.auth).send({ priority: 6 }), 200);
    await app.http.delete(`${rules}/${rule.id}`).set(admin.auth).expect(204);
  });

  it('a rule target outside the caller’s scope answers exactly like an unknown one (422, nothing written)', async () => {
    ok(await app.http.post('/api/v1/identity/roles').set(admin.auth).send({
      key: 'lead-router', name: 'Routes his team’s leads', dataScopes: { 'sales.lead': 'team' },
      permissions: ['sales.lead-assignment-rule:read', 'sales.lead-assignment-rule:create', 'sales.lead-assignment-rule:update', 'sales.lead-assignment-rule:delete'],
    }));
    const router = await given.identity.user({ roles: ['lead-router'], orgUnitId: teamB });
    const rule = (assignTo: object) => ({ name: 'Routed', priority: 50, criteria: { regions: ['ROUTED'] }, assignTo, strategy: 'round-robin' });
    const before = await countRules();
    const shape = (res: { status: number; body: Record<string, unknown> }, id: string) => ({
      status: res.status,
      code: res.body.code,
      detail: String(res.body.detail).replace(id, '<id>'),
      errors: res.body.errors,
    });

    const unknownUser = randomUUID();
    const outOfScopeUser = await app.http.post(rules).set(router.auth).send(rule({ userId: repA1.id }));
    const missingUser = await app.http.post(rules).set(router.auth).send(rule({ userId: unknownUser }));
    expectProblem(outOfScopeUser, 422, 'sales.owner.unknown-user');
    expect(shape(outOfScopeUser, repA1.id)).toEqual(shape(missingUser, unknownUser));
    expect(outOfScopeUser.body.errors).toEqual([{ field: 'assignTo.userId', message: expect.any(String) }]);
    expect(JSON.stringify(outOfScopeUser.body)).not.toContain(teamA);

    const unknownUnit = randomUUID();
    const outOfScopeUnit = await app.http.post(rules).set(router.auth).send(rule({ orgUnitId: teamA }));
    const missingUnit = await app.http.post(rules).set(router.auth).send(rule({ orgUnitId: unknownUnit }));
    expectProblem(outOfScopeUnit, 422, 'sales.org-unit.unknown');
    expect(shape(outOfScopeUnit, teamA)).toEqual(shape(missingUnit, unknownUnit));
    // The branch above his team holds people outside a team scope too.
    expect(shape(await app.http.post(rules).set(router.auth).send(rule({ orgUnitId: branchB })), branchB)).toEqual(shape(missingUnit, unknownUnit));
    expect(await countRules()).toBe(before);

    // Inside his scope he may; a rule an admin pointed elsewhere he may neither change nor delete.
    const own = ok(await app.http.post(rules).set(router.auth).send(rule({ orgUnitId: teamB })));
    expect(own).toMatchObject({ assignTo: { orgUnitId: teamB } });
    expectProblem(await app.http.patch(`${rules}/${own.id}`).set(router.auth).send({ assignTo: { userId: repA1.id } }), 422, 'sales.owner.unknown-user');
    const foreign = ok(await app.http.post(rules).set(admin.auth).send(rule({ orgUnitId: teamA })));
    expectProblem(await app.http.patch(`${rules}/${foreign.id}`).set(router.auth).send({ criteria: {} }), 403, 'sales.lead-assignment-rule.out-of-scope');
    expectProblem(await app.http.delete(`${rules}/${foreign.id}`).set(router.auth), 403, 'sales.lead-assignment-rule.out-of-scope');
    expect(ok(await app.http.get(`${rules}/${foreign.id}`).set(admin.auth), 200)).toMatchObject({ criteria: { regions: ['ROUTED'] }, version: 1 });
    await app.http.delete(`${rules}/${own.id}`).set(router.auth).expect(204);
    await app.http.delete(`${rules}/${foreign.id}`).set(admin.auth).expect(204);
  });
});

describe('settings and the default sales method', () => {
  it('a manager cannot change the org-wide settings (403) but reads them; the admin can', async () => {
    for (const user of [manager, director]) {
      expectProblem(await app.http.patch('/api/v1/sales/settings').set(user.auth).send({ leadClaimLimit: 5 }), 403, 'permission-denied');
      expect(ok(await app.http.get('/api/v1/sales/settings').set(user.auth), 200)).toMatchObject({ leadClaimLimit: 50, version: 1 });
    }
    expect(await auditCount('sales.settings')).toBe(0);
    ok(await app.http.patch('/api/v1/sales/settings').set(admin.auth).send({ leadClaimLimit: 60 }), 200);
    await app.http.patch('/api/v1/sales/settings').set(admin.auth).send({ leadClaimLimit: 50 }).expect(200);
  });

  it('a manager cannot make a method the default (403, nothing written) but creates other methods; the admin can', async () => {
    const defaultBefore = await app.sql(`SELECT id FROM sales.sales_method WHERE is_default`);
    const methodsBefore = await app.sql(`SELECT count(*)::int AS n FROM sales.sales_method`);
    const refused = await app.http.post('/api/v1/sales/sales-methods').set(manager.auth).send({ name: given.unique('Mine'), stages: STAGES, isDefault: true });
    expectProblem(refused, 403, 'permission-denied');
    expect(refused.body.permission).toBe('sales.sales-method:set-default');
    expect(await app.sql(`SELECT id FROM sales.sales_method WHERE is_default`)).toEqual(defaultBefore);
    expect(await app.sql(`SELECT count(*)::int AS n FROM sales.sales_method`)).toEqual(methodsBefore);
    const plain = ok(await app.http.post('/api/v1/sales/sales-methods').set(manager.auth).send({ name: given.unique('Team method'), stages: STAGES }));
    expect(plain.isDefault).toBe(false);
    const adminDefault = ok(await app.http.post('/api/v1/sales/sales-methods').set(admin.auth).send({ name: given.unique('Company method'), stages: STAGES, isDefault: true }));
    expect(await app.sql(`SELECT id FROM sales.sales_method WHERE is_default`)).toEqual([{ id: adminDefault.id }]);
  });

  it('managers keep their record work: an opportunity, a lead assignment and an ownership transfer within the team', async () => {
    const account = await given.account(manager);
    const opportunity = await given.opportunity(manager, account.id);
    expect(opportunity).toMatchObject({ ownerId: manager.id, status: 'open' });
    await app.http.post(`/api/v1/sales/opportunities/${opportunity.id}/win`).set(manager.auth).expect(200);
    const lead = await given.lead(manager);
    expect(ok(await app.http.post(`/api/v1/sales/leads/${lead.id}/assign`).set(manager.auth).send({ ownerId: repA1.id }), 200)).toMatchObject({ ownerId: repA1.id });
    await given.account(repA1);
    const transfer = ok(await app.http.post('/api/v1/sales/ownership-transfers').set(manager.auth).send({ fromUserId: repA1.id, toUserId: repA2.id }));
    expect(transfer.counts.accounts).toBe(1);
    expect(transfer.counts.leads).toBeGreaterThanOrEqual(1);
    expect(ok(await app.http.get(`/api/v1/sales/leads/${lead.id}`).set(repA2.auth), 200)).toMatchObject({ ownerId: repA2.id });
    const team = await given.identity.orgUnit({ type: 'team' });
    const teamDirector = await given.identity.user({ roles: ['sales-director'], orgUnitId: team.id });
    const teamAccount = await given.account(teamDirector);
    expect(await given.opportunity(teamDirector, teamAccount.id)).toMatchObject({ ownerId: teamDirector.id });
  });

  it('the built-in manager and director roles hold the record work and reading the set-up, not its administration', async () => {
    const res = ok(await app.http.get('/api/v1/identity/roles').set(admin.auth).query({ limit: 500 }), 200);
    const roles = Object.fromEntries(res.items.map((r: { key: string; permissions: string[] }) => [r.key, new Set(r.permissions)]));
    const administration = [
      'sales.settings:manage', 'sales.sales-method:set-default', 'sales.lead-assignment-rule:create', 'sales.lead-assignment-rule:update',
      'sales.lead-assignment-rule:delete', 'sales.lead-capture-form:create', 'sales.lead-capture-form:update', 'sales.lead-capture-form:delete',
    ];
    const work = [
      'sales.account:create', 'sales.contact:update', 'sales.lead:assign', 'sales.opportunity:win', 'sales.activity:complete', 'sales.competitor:create',
      'sales.ownership-transfer:create', 'sales.sales-method:create', 'sales.pipeline:read', 'sales.settings:read', 'sales.sales-method:read',
      'sales.lead-assignment-rule:read', 'sales.lead-capture-form:read',
    ];
    for (const key of ['sales-manager', 'sales-director', 'sales-rep']) {
      expect({ key, held: administration.filter((p) => hasPermission({ permissions: roles[key] }, p)) }).toEqual({ key, held: [] });
    }
    for (const key of ['sales-manager', 'sales-director']) {
      expect({ key, missing: work.filter((p) => !hasPermission({ permissions: roles[key] }, p)) }).toEqual({ key, missing: [] });
    }
    expect(administration.every((p) => hasPermission({ permissions: roles.admin }, p))).toBe(true);
  });
});
