import { randomUUID } from 'node:crypto';
import { authHeader, identityFixtures, TEST_PASSWORD, type FixtureUser } from '../support/identity';
import { expectProblem, startTestApp, TEST_ADMIN, type TestApp } from '../support/test-app';

/**
 * Issue 14, privilege ceiling: nobody grants, through roles, role definitions, API keys or
 * someone else's credentials, more than they hold themselves.
 */
let app: TestApp;
let fx: ReturnType<typeof identityFixtures>;
let admin: { authorization: string };
let adminId: string;

beforeAll(async () => {
  app = await startTestApp();
  fx = identityFixtures(app);
  admin = authHeader(await fx.adminToken());
  adminId = (await app.http.get('/api/v1/auth/me').set(admin).expect(200)).body.id;
});
afterAll(() => app?.close());

type Scope = 'own' | 'team' | 'subtree' | 'all';
async function role(key: string, permissions: string[], dataScopes: Record<string, Scope> = {}): Promise<void> {
  await app.http.post('/api/v1/identity/roles').set(admin).send({ key, name: key, permissions, dataScopes }).expect(201);
}

const users = '/api/v1/identity/users';
const getUser = async (id: string) => (await app.http.get(`${users}/${id}`).set(admin).expect(200)).body;
const login = (email: string, password: string) => app.http.post('/api/v1/auth/login').send({ email, password });
const auditCount = async (recordType: string) =>
  Number((await app.sql<{ n: string }>(`SELECT count(*) AS n FROM platform.audit_entries WHERE record_type = $1`, [recordType]))[0].n);

describe('assigning roles', () => {
  let editor: FixtureUser;
  beforeAll(async () => {
    await role('user-editor', ['identity.user:read', 'identity.user:update'], { 'identity.*': 'all' });
    await role('role-reader', ['identity.role:read']);
    editor = await fx.user({ roles: ['user-editor', 'role-reader'] });
  });

  it('a user holding only identity.user:update cannot raise their own roles; removing one is fine', async () => {
    for (const roles of [['user-editor', 'role-reader', 'admin'], ['user-editor', 'role-reader', 'sales-rep']]) {
      const res = await app.http.patch(`${users}/${editor.id}`).set(editor.auth).send({ roles });
      expectProblem(res, 422, 'identity.role.self-grant');
      expect(res.body.errors).toEqual([{ field: 'roles', message: expect.stringContaining(roles[2]) }]);
    }
    expect(await getUser(editor.id)).toMatchObject({ roles: ['user-editor', 'role-reader'], version: 1 });
    expect((await app.http.get('/api/v1/auth/me').set(editor.auth).expect(200)).body.permissions).not.toContain('*:*');

    await app.http.patch(`${users}/${editor.id}`).set(editor.auth).send({ roles: ['user-editor'] }).expect(200);
    expectProblem(await app.http.get('/api/v1/identity/roles').set(editor.auth), 403, 'permission-denied');
  });

  it('refuses giving another user a role holding a permission or a data scope the caller lacks, and writes nothing', async () => {
    const target = await fx.user({ roles: [] });
    const before = await auditCount('identity.user');
    const res = await app.http.patch(`${users}/${target.id}`).set(editor.auth).send({ roles: ['admin'] });
    expectProblem(res, 422, 'identity.role.not-held');
    expect(res.body.errors).toEqual([{ field: 'roles', message: expect.stringContaining('role admin: *:*') }]);
    // Scope only: the same permission, a wider data scope than the caller's.
    await role('identity-wide', ['identity.user:read'], { '*': 'all' });
    const scope = await app.http.patch(`${users}/${target.id}`).set(editor.auth).send({ roles: ['identity-wide'] });
    expectProblem(scope, 422, 'identity.role.not-held');
    expect(scope.body.errors[0].message).toContain('data scope *: all (yours: own)');
    expect(await getUser(target.id)).toMatchObject({ roles: [], version: 1 });
    expect(await auditCount('identity.user')).toBe(before);

    // A role within what the caller holds is fine.
    await role('user-reader-all', ['identity.user:read'], { 'identity.user': 'all' });
    await app.http.patch(`${users}/${target.id}`).set(editor.auth).send({ roles: ['user-reader-all'] }).expect(200);
  });

  it('refuses creating a user with a role the caller lacks', async () => {
    await role('user-creator', ['identity.user:create', 'identity.user:read', 'sales.account:read'], { 'identity.*': 'all', 'sales.*': 'team' });
    const creator = await fx.user({ roles: ['user-creator'] });
    const email = `escalated-${randomUUID()}@example.com`;
    for (const roles of [['admin'], ['sales-rep']]) {
      const res = await app.http.post(users).set(creator.auth).send({ email, name: 'Escalated', password: TEST_PASSWORD, roles });
      expectProblem(res, 422, 'identity.role.not-held');
      expect(res.body.errors).toEqual([{ field: 'roles', message: expect.stringContaining(`role ${roles[0]}`) }]);
    }
    expect(await app.sql(`SELECT 1 FROM platform.app_user WHERE email = $1`, [email])).toEqual([]);
    await role('account-reader-team', ['sales.account:read'], { 'sales.account': 'team' });
    await app.http.post(users).set(creator.auth).send({ email, name: 'Fine', password: TEST_PASSWORD, roles: ['account-reader-team'] }).expect(201);
  });

  it('refuses changing the roles of a user who holds more than the caller (no demoting the admin)', async () => {
    const res = await app.http.patch(`${users}/${adminId}`).set(editor.auth).send({ roles: [] });
    expectProblem(res, 422, 'identity.user.outranks-you');
    expect(res.body.errors).toEqual([{ field: 'roles', message: expect.any(String) }]);
    expect(JSON.stringify(res.body)).not.toContain('*:*');
    expect(await getUser(adminId)).toMatchObject({ roles: ['admin'] });
  });
});

describe("another user's credentials and status", () => {
  it('a manager with identity.user:update cannot set the admin’s password or email (403), nor deactivate them', async () => {
    await role('people-manager', ['sales.*:*', 'identity.user:read', 'identity.user:update'], { 'sales.*': 'team', 'identity.*': 'all' });
    const manager = await fx.user({ roles: ['people-manager'] });
    const password = await app.http.patch(`${users}/${adminId}`).set(manager.auth).send({ password: 'taken-over-123' });
    expectProblem(password, 403, 'permission-denied');
    expect(password.body.permission).toBe('identity.user:manage-credentials');
    expectProblem(await app.http.patch(`${users}/${adminId}`).set(manager.auth).send({ email: 'mine@example.com' }), 403, 'permission-denied');
    expectProblem(await app.http.patch(`${users}/${adminId}`).set(manager.auth).send({ active: false }), 403, 'permission-denied');
    expectProblem(await app.http.post(`${users}/${adminId}/deactivate`).set(manager.auth), 403, 'permission-denied');
    expectProblem(await login(TEST_ADMIN.email, 'taken-over-123'), 401);
    await login(TEST_ADMIN.email, TEST_ADMIN.password).expect(200);
    expect(await getUser(adminId)).toMatchObject({ email: TEST_ADMIN.email, active: true });
  });

  it('even with identity.user:manage-credentials, cannot change a user who outranks them (422); can change one who does not', async () => {
    await role('credential-manager', ['sales.*:*', 'identity.user:read', 'identity.user:update', 'identity.user:manage-credentials', 'identity.user:deactivate'], {
      'sales.*': 'team',
      'identity.*': 'all',
    });
    const manager = await fx.user({ roles: ['credential-manager'] });
    for (const body of [{ password: 'taken-over-123' }, { email: 'mine@example.com' }, { active: false }]) {
      const res = await app.http.patch(`${users}/${adminId}`).set(manager.auth).send(body);
      expectProblem(res, 422, 'identity.user.outranks-you');
      expect(res.body.errors).toEqual([{ field: Object.keys(body)[0], message: expect.any(String) }]);
    }
    expectProblem(await app.http.post(`${users}/${adminId}/deactivate`).set(manager.auth), 422, 'identity.user.outranks-you');
    // A sales director holds wider scopes (subtree) and finance grants the manager lacks.
    const director = await fx.user({ roles: ['sales-director'] });
    expectProblem(await app.http.patch(`${users}/${director.id}`).set(manager.auth).send({ password: 'taken-over-123' }), 422, 'identity.user.outranks-you');
    expectProblem(await login(TEST_ADMIN.email, 'taken-over-123'), 401);
    await login(TEST_ADMIN.email, TEST_ADMIN.password).expect(200);
    await login(director.email, TEST_PASSWORD).expect(200);

    await role('lead-reader-own', ['sales.lead:read'], { 'sales.lead': 'own' });
    const junior = await fx.user({ roles: ['lead-reader-own'] });
    await app.http.patch(`${users}/${junior.id}`).set(manager.auth).send({ password: 'reset-by-manager-1' }).expect(200);
    expectProblem(await app.http.get('/api/v1/auth/me').set(junior.auth), 401);
    await login(junior.email, 'reset-by-manager-1').expect(200);
    await app.http.post(`${users}/${junior.id}/deactivate`).set(manager.auth).expect(200);
    await app.http.patch(`${users}/${junior.id}`).set(manager.auth).send({ active: true }).expect(200);
  });

  it('one’s own password is not changed through PATCH', async () => {
    const res = await app.http.patch(`${users}/${adminId}`).set(admin).send({ password: 'a-new-admin-password' });
    expectProblem(res, 422, 'identity.user.own-password');
    expect(res.body.errors).toEqual([{ field: 'password', message: expect.stringContaining('POST /api/v1/auth/password') }]);
    await login(TEST_ADMIN.email, TEST_ADMIN.password).expect(200);
  });
});

describe('POST /api/v1/auth/password', () => {
  const change = (auth: { authorization: string }, currentPassword: string, newPassword: string) =>
    app.http.post('/api/v1/auth/password').set(auth).send({ currentPassword, newPassword });

  it('refuses a wrong current password and changes nothing', async () => {
    const user = await fx.user({ roles: [] });
    const res = await change(user.auth, 'not-my-password', 'a-brand-new-password');
    expectProblem(res, 422, 'identity.password.current-wrong');
    expect(res.body.errors).toEqual([{ field: 'currentPassword', message: expect.any(String) }]);
    await app.http.get('/api/v1/auth/me').set(user.auth).expect(200);
    await login(user.email, TEST_PASSWORD).expect(200);
    expectProblem(await login(user.email, 'a-brand-new-password'), 401);
  });

  it('with the right one: new tokens work, every earlier access and refresh token stops working', async () => {
    const user = await fx.user({ roles: [] });
    const other = (await login(user.email, TEST_PASSWORD).expect(200)).body;
    const res = await change(user.auth, TEST_PASSWORD, 'a-brand-new-password').expect(200);
    expect(res.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
    expect((await app.http.get('/api/v1/auth/me').set(authHeader(res.body.accessToken)).expect(200)).body.id).toBe(user.id);
    expectProblem(await app.http.get('/api/v1/auth/me').set(user.auth), 401);
    expectProblem(await app.http.get('/api/v1/auth/me').set(authHeader(other.accessToken)), 401);
    expectProblem(await app.http.post('/api/v1/auth/refresh').send({ refreshToken: other.refreshToken }), 401);
    await app.http.post('/api/v1/auth/refresh').send({ refreshToken: res.body.refreshToken }).expect(200);
    expectProblem(await login(user.email, TEST_PASSWORD), 401);
    await login(user.email, 'a-brand-new-password').expect(200);
    const [entry] = await app.sql<{ action: string; changes: object }>(
      `SELECT action, changes FROM platform.audit_entries WHERE record_id = $1 AND action = 'change-password'`,
      [user.id],
    );
    expect(entry).toEqual({ action: 'change-password', changes: {} });
  });

  it('is throttled: repeated wrong current passwords answer 429 with Retry-After', async () => {
    const user = await fx.user({ roles: [] });
    for (let i = 0; i < 5; i++) expectProblem(await change(user.auth, 'wrong-password', 'a-brand-new-password'), 422);
    const blocked = await change(user.auth, TEST_PASSWORD, 'a-brand-new-password');
    expectProblem(blocked, 429, 'too-many-password-attempts');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    await login(user.email, TEST_PASSWORD).expect(200);
  });

  it('refuses bad bodies (400) and API keys', async () => {
    const user = await fx.user({ roles: [] });
    expectProblem(await change(user.auth, TEST_PASSWORD, 'short'), 400);
    expectProblem(await app.http.post('/api/v1/auth/password').set(user.auth).send({ newPassword: 'a-brand-new-password' }), 400);
    const { key } = (await app.http.post('/api/v1/identity/api-keys').set(admin).send({ name: 'self', permissions: ['identity.self:update'] }).expect(201)).body;
    expectProblem(await app.http.post('/api/v1/auth/password').set('x-api-key', key).send({ currentPassword: TEST_ADMIN.password, newPassword: 'taken-over-123' }), 403);
    await login(TEST_ADMIN.email, TEST_ADMIN.password).expect(200);
  });
});

describe('custom roles', () => {
  it('a role creator holding only identity.role:create cannot create *:* / all; nothing is written', async () => {
    await role('role-creator', ['identity.role:create']);
    const creator = await fx.user({ roles: ['role-creator'] });
    const before = await auditCount('identity.role');
    const res = await app.http.post('/api/v1/identity/roles').set(creator.auth).send({ key: 'escalate', name: 'Escalate', permissions: ['*:*'], dataScopes: { '*': 'all' } });
    expectProblem(res, 422, 'identity.role.not-held');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['permissions', 'dataScopes']);
    expect(res.body.errors[0].message).toContain('*:*');
    const scopeOnly = await app.http.post('/api/v1/identity/roles').set(creator.auth).send({ key: 'escalate', name: 'Escalate', permissions: ['identity.role:create'], dataScopes: { 'sales.*': 'all' } });
    expectProblem(scopeOnly, 422, 'identity.role.not-held');
    expect(scopeOnly.body.errors).toEqual([{ field: 'dataScopes', message: expect.stringContaining('sales.*: all') }]);
    const wildcard = await app.http.post('/api/v1/identity/roles').set(creator.auth).send({ key: 'escalate', name: 'Escalate', permissions: ['identity.*:*'] });
    expectProblem(wildcard, 422, 'identity.role.not-held');
    expectProblem(await app.http.get('/api/v1/identity/roles/escalate').set(admin), 404);
    expect(await auditCount('identity.role')).toBe(before);

    await app.http.post('/api/v1/identity/roles').set(creator.auth).send({ key: 'creator-clone', name: 'Clone', permissions: ['identity.role:create'] }).expect(201);
  });

  it('updating a role needs the caller to hold what it grants before and after', async () => {
    await role('role-editor', ['identity.role:update', 'identity.role:read', 'sales.account:read'], { 'sales.account': 'team' });
    await role('stronger', ['sales.account:read', 'sales.account:update']);
    await role('account-viewer', ['sales.account:read'], { 'sales.account': 'own' });
    const editor = await fx.user({ roles: ['role-editor'] });
    expectProblem(await app.http.patch('/api/v1/identity/roles/account-viewer').set(editor.auth).send({ permissions: ['sales.account:read', 'sales.account:update'] }), 422, 'identity.role.not-held');
    expectProblem(await app.http.patch('/api/v1/identity/roles/account-viewer').set(editor.auth).send({ dataScopes: { 'sales.account': 'all' } }), 422, 'identity.role.not-held');
    // No demoting the holders of a stronger role either.
    expectProblem(await app.http.patch('/api/v1/identity/roles/stronger').set(editor.auth).send({ permissions: [] }), 422, 'identity.role.not-held');
    expect((await app.http.get('/api/v1/identity/roles/stronger').set(admin).expect(200)).body.permissions).toEqual(['sales.account:read', 'sales.account:update']);
    const viewer = (await app.http.get('/api/v1/identity/roles/account-viewer').set(admin).expect(200)).body;
    expect(viewer).toMatchObject({ permissions: ['sales.account:read'], dataScopes: { 'sales.account': 'own' }, version: 1 });
    await app.http.patch('/api/v1/identity/roles/account-viewer').set(editor.auth).send({ dataScopes: { 'sales.account': 'team' } }).expect(200);
    await app.http.patch('/api/v1/identity/roles/stronger').set(editor.auth).send({ name: 'Renamed only' }).expect(200);
  });
});

describe('API keys act with the intersection of their permissions and their creator’s current ones', () => {
  it('a demoted creator’s key loses what the creator lost, at once', async () => {
    await role('key-maker', ['identity.api-key:create']);
    await role('account-reader', ['sales.account:read'], { 'sales.*': 'own' });
    const creator = await fx.user({ roles: ['key-maker', 'sales-manager'] });
    const { key } = (await app.http.post('/api/v1/identity/api-keys').set(creator.auth).send({ name: 'sync', permissions: ['sales.account:read', 'sales.lead:read'] }).expect(201)).body;
    await app.http.get('/api/v1/sales/accounts').set('x-api-key', key).expect(200);
    await app.http.get('/api/v1/sales/leads').set('x-api-key', key).expect(200);

    await app.http.patch(`${users}/${creator.id}`).set(admin).send({ roles: ['key-maker', 'account-reader'] }).expect(200);
    await app.http.get('/api/v1/sales/accounts').set('x-api-key', key).expect(200);
    expectProblem(await app.http.get('/api/v1/sales/leads').set('x-api-key', key), 403, 'permission-denied');

    await app.http.patch(`${users}/${creator.id}`).set(admin).send({ roles: ['key-maker'] }).expect(200);
    expectProblem(await app.http.get('/api/v1/sales/accounts').set('x-api-key', key), 403, 'permission-denied');

    // Given back to the creator, the key's own permissions apply again — never more than they are.
    await app.http.patch(`${users}/${creator.id}`).set(admin).send({ roles: ['key-maker', 'sales-manager'] }).expect(200);
    await app.http.get('/api/v1/sales/leads').set('x-api-key', key).expect(200);
    expectProblem(await app.http.post('/api/v1/sales/accounts').set('x-api-key', key).send({ name: 'Via key', type: 'prospect' }), 403, 'permission-denied');
  });

  it('a deactivated-then-reactivated creator’s key stays revoked (401) until a new one is issued', async () => {
    await role('key-user-reader', ['identity.api-key:create', 'identity.user:read'], { 'identity.*': 'all' });
    const creator = await fx.user({ roles: ['key-user-reader'] });
    const created = (await app.http.post('/api/v1/identity/api-keys').set(creator.auth).send({ name: 'reader', permissions: ['identity.user:read'] }).expect(201)).body;
    await app.http.get(users).set('x-api-key', created.key).expect(200);

    await app.http.post(`${users}/${creator.id}/deactivate`).set(admin).expect(200);
    expectProblem(await app.http.get(users).set('x-api-key', created.key), 401);
    await app.http.patch(`${users}/${creator.id}`).set(admin).send({ active: true }).expect(200);
    expectProblem(await app.http.get(users).set('x-api-key', created.key), 401);

    const keys = (await app.http.get('/api/v1/identity/api-keys').set(admin).query({ includeRevoked: true }).expect(200)).body.items;
    expect(keys.find((k: { id: string }) => k.id === created.id).revokedAt).toEqual(expect.any(String));
    expect(await app.sql(`SELECT action FROM platform.audit_entries WHERE record_type = 'identity.api-key' AND record_id = $1 ORDER BY at, id`, [created.id])).toEqual([
      { action: 'create' },
      { action: 'revoke' },
    ]);

    const again = authHeader((await login(creator.email, TEST_PASSWORD).expect(200)).body.accessToken);
    const reissued = (await app.http.post('/api/v1/identity/api-keys').set(again).send({ name: 'reader 2', permissions: ['identity.user:read'] }).expect(201)).body;
    await app.http.get(users).set('x-api-key', reissued.key).expect(200);
  });
});

describe('identity references: unknown and out-of-scope ids answer alike and write nothing', () => {
  let clerk: FixtureUser;
  let outsider: FixtureUser;
  let teammate: FixtureUser;
  let hiddenAccount: string;
  let unit: { id: string };

  beforeAll(async () => {
    await role(
      'people-clerk',
      ['identity.user:read', 'identity.user:create', 'identity.user:update', 'identity.org-unit:read', 'identity.org-unit:create', 'identity.org-unit:update', 'sales.account:read'],
      { 'identity.user': 'team', 'sales.account': 'own' },
    );
    const group = await fx.orgUnit({ type: 'group' });
    unit = await fx.orgUnit({ type: 'team', parentId: group.id });
    const elsewhere = await fx.orgUnit({ type: 'team', parentId: group.id });
    clerk = await fx.user({ roles: ['people-clerk'], orgUnitId: unit.id });
    teammate = await fx.user({ roles: [], orgUnitId: unit.id });
    outsider = await fx.user({ roles: [], orgUnitId: elsewhere.id });
    hiddenAccount = (await app.http.post('/api/v1/sales/accounts').set(admin).send({ name: 'Hidden Co', type: 'partner' }).expect(201)).body.id;
  });

  /** What a refusal says, with the id itself taken out of the detail. */
  const shape = (res: { status: number; body: Record<string, unknown> }, id: string) => ({
    status: res.status,
    code: res.body.code,
    title: res.body.title,
    type: res.body.type,
    detail: String(res.body.detail).replace(id, '<id>'),
    errors: res.body.errors,
  });

  async function expectAlike(send: (id: string) => Promise<{ status: number; headers: Record<string, string>; body: Record<string, unknown> }>, hidden: string, code: string, field: string) {
    const unknown = randomUUID();
    const a = await send(hidden);
    const b = await send(unknown);
    expectProblem(a, 422, code);
    expect(a.body.errors).toEqual([{ field, message: expect.any(String) }]);
    expect(shape(a, hidden)).toEqual(shape(b, unknown));
    expect(JSON.stringify(a.body)).not.toMatch(/Hidden Co|@example\.com/);
  }

  it('managerId and accountId on user create', async () => {
    const before = await auditCount('identity.user');
    const email = `ref-${randomUUID()}@example.com`;
    await expectAlike((id) => app.http.post(users).set(clerk.auth).send({ email, name: 'Ref', roles: [], managerId: id }), outsider.id, 'identity.user.unknown', 'managerId');
    await expectAlike(
      (id) => app.http.post(users).set(clerk.auth).send({ email, name: 'Ref', roles: [], kind: 'partner', accountId: id }),
      hiddenAccount,
      'sales.account.unknown',
      'accountId',
    );
    expectProblem(await app.http.post(users).set(clerk.auth).send({ email, name: 'Ref', roles: [], orgUnitId: randomUUID() }), 422, 'identity.org-unit.unknown');
    expect(await app.sql(`SELECT 1 FROM platform.app_user WHERE email = $1`, [email])).toEqual([]);
    expect(await auditCount('identity.user')).toBe(before);
    const ok = await app.http.post(users).set(clerk.auth).send({ email, name: 'Ref', roles: [], managerId: teammate.id, orgUnitId: unit.id }).expect(201);
    expect(ok.body).toMatchObject({ managerId: teammate.id, orgUnitId: unit.id });
  });

  it('managerId and accountId on user update', async () => {
    const before = await getUser(teammate.id);
    await expectAlike((id) => app.http.patch(`${users}/${teammate.id}`).set(clerk.auth).send({ managerId: id }), outsider.id, 'identity.user.unknown', 'managerId');
    expectProblem(await app.http.patch(`${users}/${teammate.id}`).set(clerk.auth).send({ orgUnitId: randomUUID() }), 422, 'identity.org-unit.unknown');
    expect(await getUser(teammate.id)).toEqual(before);
    await app.http.patch(`${users}/${teammate.id}`).set(clerk.auth).send({ managerId: clerk.id }).expect(200);
  });

  it('headUserId and parentId on org units', async () => {
    const before = await auditCount('identity.org-unit');
    await expectAlike((id) => app.http.post('/api/v1/identity/org-units').set(clerk.auth).send({ name: 'Headed', type: 'group', headUserId: id }), outsider.id, 'identity.user.unknown', 'headUserId');
    await expectAlike((id) => app.http.patch(`/api/v1/identity/org-units/${unit.id}`).set(clerk.auth).send({ headUserId: id }), outsider.id, 'identity.user.unknown', 'headUserId');
    const parent = await app.http.post('/api/v1/identity/org-units').set(clerk.auth).send({ name: 'Orphan', type: 'team', parentId: randomUUID() });
    expectProblem(parent, 422, 'identity.org-unit.unknown');
    expect(parent.body.errors).toEqual([{ field: 'parentId', message: expect.any(String) }]);
    expect(await app.sql(`SELECT 1 FROM platform.org_unit WHERE name IN ('Headed', 'Orphan')`)).toEqual([]);
    expect((await app.http.get(`/api/v1/identity/org-units/${unit.id}`).set(admin).expect(200)).body).toMatchObject({ headUserId: null, version: 1 });
    expect(await auditCount('identity.org-unit')).toBe(before);
    await app.http.patch(`/api/v1/identity/org-units/${unit.id}`).set(clerk.auth).send({ headUserId: teammate.id }).expect(200);
  });

  it('nobody widens their own reach: moving oneself, naming one\'s own manager or heading a unit oneself → 422; the admin may', async () => {
    const other = await fx.orgUnit({ type: 'team' });
    const me = await getUser(clerk.id);
    const moves: Array<[string, () => Promise<{ status: number; headers: Record<string, string>; body: Record<string, unknown> }>]> = [
      ['orgUnitId', () => app.http.patch(`${users}/${clerk.id}`).set(clerk.auth).send({ orgUnitId: other.id })],
      ['managerId', () => app.http.patch(`${users}/${clerk.id}`).set(clerk.auth).send({ managerId: teammate.id })],
      ['headUserId', () => app.http.patch(`/api/v1/identity/org-units/${unit.id}`).set(clerk.auth).send({ headUserId: clerk.id })],
      ['headUserId', () => app.http.post('/api/v1/identity/org-units').set(clerk.auth).send({ name: 'Mine', type: 'group', headUserId: clerk.id })],
    ];
    for (const [field, send] of moves) {
      const res = await send();
      expectProblem(res, 422, 'identity.user.self-reach');
      expect(res.body.errors).toEqual([{ field, message: expect.any(String) }]);
    }
    expect(await getUser(clerk.id)).toMatchObject({ orgUnitId: me.orgUnitId, managerId: me.managerId ?? null, version: me.version });
    expect(await app.sql(`SELECT 1 FROM platform.org_unit WHERE name = 'Mine'`)).toEqual([]);
    // The clerk still places other people; the admin (who holds everything) places themself.
    await app.http.patch(`${users}/${teammate.id}`).set(clerk.auth).send({ managerId: clerk.id }).expect(200);
    await app.http.patch(`${users}/${adminId}`).set(admin).send({ orgUnitId: other.id }).expect(200);
  });
});
