import { randomUUID } from 'node:crypto';
import { hasPermission } from '../../src/platform/identity/domain/actor';
import { authHeader, identityFixtures, TEST_PASSWORD } from '../support/identity';
import { expectProblem, startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
let fx: ReturnType<typeof identityFixtures>;
let admin: { authorization: string };

beforeAll(async () => {
  app = await startTestApp();
  fx = identityFixtures(app);
  admin = authHeader(await fx.adminToken());
});
afterAll(() => app?.close());

describe('built-in roles', () => {
  it('are seeded with the permissions and scopes of DOMAIN.md', async () => {
    const res = await app.http.get('/api/v1/identity/roles').set(admin).query({ limit: 500 }).expect(200);
    const roles = Object.fromEntries(res.body.items.map((r: { key: string }) => [r.key, r]));
    expect(Object.keys(roles)).toEqual(
      expect.arrayContaining([
        'admin', 'sales-director', 'sales-manager', 'sales-rep', 'marketer', 'service-manager', 'service-agent', 'field-engineer',
        'call-center-agent', 'call-center-supervisor', 'finance', 'partner', 'customer',
      ]),
    );
    expect(roles.admin).toMatchObject({ permissions: ['*:*'], dataScopes: { '*': 'all' }, builtIn: true });
    expect(roles['sales-rep'].dataScopes).toMatchObject({ 'sales.*': 'own', 'finance.expense-claim': 'own' });
    expect(roles['sales-manager'].dataScopes).toMatchObject({ 'sales.*': 'team', 'finance.advance': 'team' });
    expect(roles['sales-director'].dataScopes).toMatchObject({ 'sales.*': 'subtree', 'finance.expense-claim': 'subtree' });
    expect(roles.finance.permissions).toEqual(expect.arrayContaining(['finance.*:*', 'finance.cost-centre:change-cap']));
    const employeeGrants = [
      'finance.expense-claim:create', 'finance.advance:submit', 'finance.cost-centre:read', 'finance.reconciliation:read', 'workflow.task:complete',
      'workflow.approval:read', 'workflow.approval:recall', 'workflow.delegation:create', 'workflow.process-definition:read', 'identity.user:read',
    ];
    const employees = ['sales-director', 'sales-manager', 'sales-rep', 'marketer', 'service-manager', 'service-agent', 'field-engineer', 'call-center-agent', 'call-center-supervisor', 'finance'];
    for (const key of employees) {
      const missing = employeeGrants.filter((p) => !hasPermission({ permissions: new Set(roles[key].permissions) }, p));
      expect({ key, missing }).toEqual({ key, missing: [] });
    }
    expect(hasPermission({ permissions: new Set(roles.finance.permissions) }, 'finance.cost-centre:change-cap')).toBe(true);
    expect(hasPermission({ permissions: new Set(roles['sales-rep'].permissions) }, 'finance.cost-centre:change-cap')).toBe(false);
    expect(hasPermission({ permissions: new Set(roles.partner.permissions) }, 'identity.user:read')).toBe(false);
    expect(roles.partner.permissions.every((p: string) => p.endsWith(':read') || p.endsWith(':create'))).toBe(true);
  });

  it('are read-only', async () => {
    expectProblem(await app.http.patch('/api/v1/identity/roles/sales-rep').set(admin).send({ name: 'Mine now' }), 409, 'identity.role.built-in');
  });
});

describe('custom roles', () => {
  it('are created by API; effective permissions are the union of a user’s roles; changes apply at once', async () => {
    await app.http.post('/api/v1/identity/roles').set(admin).send({ key: 'user-reader', name: 'User reader', permissions: ['identity.user:read'], dataScopes: { 'identity.*': 'all' } }).expect(201);
    await app.http.post('/api/v1/identity/roles').set(admin).send({ key: 'role-reader', name: 'Role reader', permissions: ['identity.role:read'] }).expect(201);
    const user = await fx.user({ roles: ['user-reader', 'role-reader'] });
    const me = (await app.http.get('/api/v1/auth/me').set(user.auth).expect(200)).body;
    expect(me.permissions).toEqual(['identity.role:read', 'identity.self:read', 'identity.self:update', 'identity.user:read']);
    expect(me.dataScopes).toEqual({ 'identity.*': 'all' });
    await app.http.get('/api/v1/identity/roles').set(user.auth).expect(200);
    expect((await app.http.get('/api/v1/identity/users').set(user.auth).expect(200)).body.items.length).toBeGreaterThan(1);

    const role = await app.http.get('/api/v1/identity/roles/role-reader').set(admin).expect(200);
    await app.http.patch('/api/v1/identity/roles/role-reader').set(admin).set('if-match', role.headers.etag).send({ permissions: ['identity.org-unit:read'] }).expect(200);
    expectProblem(await app.http.get('/api/v1/identity/roles').set(user.auth), 403);
    await app.http.get('/api/v1/identity/org-units').set(user.auth).expect(200);
    expectProblem(await app.http.patch('/api/v1/identity/roles/role-reader').set(admin).set('if-match', role.headers.etag).send({ name: 'x' }), 412);
  });

  it('apply at once even when changed behind the API (cached grants are keyed by the role rows’ versions)', async () => {
    await app.http.post('/api/v1/identity/roles').set(admin).send({ key: 'sql-changed', name: 'SQL changed', permissions: ['identity.role:read'] }).expect(201);
    const user = await fx.user({ roles: ['sql-changed'] });
    await app.http.get('/api/v1/identity/roles').set(user.auth).expect(200);
    // No version bump, no updated_at: only the row changes.
    await app.sql(`UPDATE platform.role SET permissions = '{identity.org-unit:read}' WHERE key = 'sql-changed'`);
    expectProblem(await app.http.get('/api/v1/identity/roles').set(user.auth), 403);
    await app.http.get('/api/v1/identity/org-units').set(user.auth).expect(200);
    // Deleted and re-created with the same key and version, other grants.
    const [old] = await app.sql<{ version: number }>(`SELECT version FROM platform.role WHERE key = 'sql-changed'`);
    await app.sql(`DELETE FROM platform.role WHERE key = 'sql-changed'`);
    expectProblem(await app.http.get('/api/v1/identity/org-units').set(user.auth), 403);
    await app.sql(
      `INSERT INTO platform.role (id, key, name, permissions, data_scopes, built_in, version) VALUES ($1, 'sql-changed', 'Again', '{identity.role:read}', '{}', false, $2)`,
      [randomUUID(), old.version],
    );
    await app.http.get('/api/v1/identity/roles').set(user.auth).expect(200);
    expectProblem(await app.http.get('/api/v1/identity/org-units').set(user.auth), 403);
  });

  it('refuses bad keys, permissions, scopes and duplicates', async () => {
    const post = (body: object) => app.http.post('/api/v1/identity/roles').set(admin).send({ key: 'ok-key', name: 'n', permissions: [], ...body });
    expectProblem(await post({ key: 'Bad Key' }), 400);
    expectProblem(await post({ permissions: ['sales.account'] }), 400);
    const scopes = await post({ dataScopes: { 'sales.account': 'everything', 'bad key': 'own' } });
    expectProblem(scopes, 400, 'validation-failed');
    expect(scopes.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['dataScopes.bad key', 'dataScopes.sales.account']);
    expectProblem(await post({ key: 'admin' }), 409, 'identity.role.key-taken');
    expectProblem(await app.http.get('/api/v1/identity/roles/no-such-role').set(admin), 404);
  });
});

describe('org units', () => {
  it('form a tree; nesting follows group → region → branch → department → team; no cycles', async () => {
    const group = await fx.orgUnit({ type: 'group' });
    const region = await fx.orgUnit({ type: 'region', parentId: group.id });
    const team = await fx.orgUnit({ type: 'team', parentId: region.id });
    expectProblem(await app.http.post('/api/v1/identity/org-units').set(admin).send({ name: 'x', type: 'region', parentId: team.id }), 422, 'identity.org-unit.invalid-nesting');
    expectProblem(await app.http.post('/api/v1/identity/org-units').set(admin).send({ name: 'x', type: 'team', parentId: randomUUID() }), 422, 'identity.org-unit.unknown');
    expectProblem(await app.http.post('/api/v1/identity/org-units').set(admin).send({ name: 'x', type: 'tribe' }), 400);
    const region2 = await fx.orgUnit({ type: 'region', parentId: group.id });
    expectProblem(await app.http.patch(`/api/v1/identity/org-units/${region.id}`).set(admin).send({ parentId: team.id }), 422);
    expectProblem(await app.http.patch(`/api/v1/identity/org-units/${region.id}`).set(admin).send({ parentId: region2.id }), 422, 'identity.org-unit.invalid-nesting');

    const sub = await app.http.get('/api/v1/identity/org-units').set(admin).query({ subtreeOf: group.id }).expect(200);
    expect(sub.body.items.map((u: { id: string }) => u.id).sort()).toEqual([group.id, region.id, region2.id, team.id].sort());
    const children = await app.http.get('/api/v1/identity/org-units').set(admin).query({ parentId: group.id }).expect(200);
    expect(children.body.items.map((u: { id: string }) => u.id).sort()).toEqual([region.id, region2.id].sort());

    const got = await app.http.get(`/api/v1/identity/org-units/${team.id}`).set(admin).expect(200);
    expect(got.body).toMatchObject({ id: team.id, type: 'team', parentId: region.id, headUserId: null, version: 1 });
    await app.http.patch(`/api/v1/identity/org-units/${team.id}`).set(admin).set('if-match', '"1"').send({ parentId: region2.id }).expect(200);
    expectProblem(await app.http.patch(`/api/v1/identity/org-units/${team.id}`).set(admin).set('if-match', '"1"').send({ name: 'late' }), 412);
    const closure = await app.sql<{ ancestor_id: string; depth: number }>(`SELECT ancestor_id, depth FROM platform.org_unit_closure WHERE descendant_id = $1 ORDER BY depth`, [team.id]);
    expect(closure).toEqual([{ ancestor_id: team.id, depth: 0 }, { ancestor_id: region2.id, depth: 1 }, { ancestor_id: group.id, depth: 2 }]);
    expectProblem(await app.http.get(`/api/v1/identity/org-units/${randomUUID()}`).set(admin), 404);
  });
});

describe('users', () => {
  it('creates, reads, lists, updates users; never returns secrets', async () => {
    const unit = await fx.orgUnit({ type: 'group' });
    const manager = await fx.user({ roles: ['sales-manager'], orgUnitId: unit.id });
    const res = await app.http
      .post('/api/v1/identity/users')
      .set(admin)
      .send({ email: 'New.User@Example.com', name: 'New User', password: 'a-long-password', roles: ['sales-rep'], orgUnitId: unit.id, managerId: manager.id })
      .expect(201);
    expect(res.body).toMatchObject({ email: 'new.user@example.com', kind: 'employee', orgUnitId: unit.id, managerId: manager.id, roles: ['sales-rep'], active: true, accountId: null });
    expect(JSON.stringify(res.body)).not.toMatch(/password|hash/i);
    const got = await app.http.get(`/api/v1/identity/users/${res.body.id}`).set(admin).expect(200);
    expect(got.headers.etag).toBe('"1"');
    const list = await app.http.get('/api/v1/identity/users').set(admin).query({ orgUnitId: unit.id, role: 'sales-rep' }).expect(200);
    expect(list.body.items.map((u: { id: string }) => u.id)).toEqual([res.body.id]);
    expect((await app.http.get('/api/v1/identity/users').set(admin).query({ q: 'new.user' }).expect(200)).body.items).toHaveLength(1);
    expectProblem(await app.http.post('/api/v1/identity/users').set(admin).send({ email: 'NEW.user@example.com', name: 'Dup', roles: [] }), 409, 'identity.user.email-taken');

    const updated = await app.http.patch(`/api/v1/identity/users/${res.body.id}`).set(admin).set('if-match', '"1"').send({ roles: ['sales-manager'] }).expect(200);
    expect(updated.body).toMatchObject({ roles: ['sales-manager'], version: 2 });
    expectProblem(await app.http.patch(`/api/v1/identity/users/${res.body.id}`).set(admin).set('if-match', '"1"').send({ name: 'x' }), 412);
    expectProblem(await app.http.patch(`/api/v1/identity/users/${res.body.id}`).set(admin).send({ managerId: res.body.id }), 422);
    expectProblem(await app.http.patch(`/api/v1/identity/users/${res.body.id}`).set(admin).send({ version: 9 }), 400);
  });

  it('binds partner and customer users to an account', async () => {
    expectProblem(await app.http.post('/api/v1/identity/users').set(admin).send({ email: 'p@example.com', name: 'P', kind: 'partner', roles: ['partner'] }), 422, 'identity.user.account-required');
    expectProblem(
      await app.http.post('/api/v1/identity/users').set(admin).send({ email: 'e@example.com', name: 'E', roles: [], accountId: randomUUID() }),
      422,
      'identity.user.account-not-allowed',
    );
    // The account must exist (and be visible to the caller): an unknown one answers 422 and writes nothing.
    const unknown = await app.http.post('/api/v1/identity/users').set(admin).send({ email: 'p2@example.com', name: 'P', kind: 'partner', roles: ['partner'], accountId: randomUUID() });
    expectProblem(unknown, 422, 'sales.account.unknown');
    expect(unknown.body.errors).toEqual([{ field: 'accountId', message: expect.any(String) }]);
    expect(await app.sql(`SELECT 1 FROM platform.app_user WHERE email = 'p2@example.com'`)).toEqual([]);
    const accountId = (await app.http.post('/api/v1/sales/accounts').set(admin).send({ name: 'Partner Co', type: 'partner' }).expect(201)).body.id;
    const partner = await fx.user({ roles: ['partner'], kind: 'partner', accountId });
    const me = (await app.http.get('/api/v1/auth/me').set(partner.auth).expect(200)).body;
    expect(me).toMatchObject({ kind: 'partner', accountId, roles: ['partner'] });
  });

  it('a new password signs the user out everywhere; reactivation lets them back in', async () => {
    const user = await fx.user({ roles: ['sales-rep'] });
    await app.http.patch(`/api/v1/identity/users/${user.id}`).set(admin).send({ password: 'brand-new-password' }).expect(200);
    expectProblem(await app.http.get('/api/v1/auth/me').set(user.auth), 401);
    expectProblem(await app.http.post('/api/v1/auth/login').send({ email: user.email, password: TEST_PASSWORD }), 401);
    await app.http.post('/api/v1/auth/login').send({ email: user.email, password: 'brand-new-password' }).expect(200);

    await app.http.post(`/api/v1/identity/users/${user.id}/deactivate`).set(admin).expect(200);
    expectProblem(await app.http.post('/api/v1/auth/login').send({ email: user.email, password: 'brand-new-password' }), 401);
    await app.http.patch(`/api/v1/identity/users/${user.id}`).set(admin).send({ active: true }).expect(200);
    await app.http.post('/api/v1/auth/login').send({ email: user.email, password: 'brand-new-password' }).expect(200);
  });
});
