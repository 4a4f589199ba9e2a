import { authHeader, identityFixtures } from '../support/identity';
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

describe('API keys', () => {
  it('creates a key shown once, stored hashed, usable with X-API-Key within its permissions, then revoked', async () => {
    const created = await app.http.post('/api/v1/identity/api-keys').set(admin).send({ name: 'ERP sync', permissions: ['identity.user:read'] }).expect(201);
    const { key, id } = created.body;
    expect(key).toMatch(/^crm_[\w-]{43}$/);
    expect(created.body).toMatchObject({ name: 'ERP sync', permissions: ['identity.user:read'], lastUsedAt: null, revokedAt: null, prefix: key.slice(0, 12) });

    const [row] = await app.sql<{ key_hash: string }>(`SELECT key_hash FROM platform.api_key WHERE id = $1`, [id]);
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await app.sql(`SELECT * FROM platform.api_key`))).not.toContain(key);

    const list = await app.http.get('/api/v1/identity/api-keys').set(admin).expect(200);
    expect(list.body.items.map((k: { id: string }) => k.id)).toContain(id);
    expect(JSON.stringify(list.body)).not.toContain(key);

    await app.http.get('/api/v1/identity/users').set('x-api-key', key).expect(200);
    expectProblem(await app.http.get('/api/v1/identity/roles').set('x-api-key', key), 403, 'permission-denied');
    const me = await app.http.get('/api/v1/auth/me').set('x-api-key', key);
    expectProblem(me, 403); // a key holds only its own permissions

    const used = await app.http.get('/api/v1/identity/api-keys').set(admin).expect(200);
    expect(used.body.items.find((k: { id: string }) => k.id === id).lastUsedAt).toEqual(expect.any(String));

    await app.http.delete(`/api/v1/identity/api-keys/${id}`).set(admin).expect(204);
    expectProblem(await app.http.get('/api/v1/identity/users').set('x-api-key', key), 401);
    await app.http.delete(`/api/v1/identity/api-keys/${id}`).set(admin).expect(204);
    expect((await app.http.get('/api/v1/identity/api-keys').set(admin)).body.items.map((k: { id: string }) => k.id)).not.toContain(id);
    const all = await app.http.get('/api/v1/identity/api-keys').set(admin).query({ includeRevoked: true }).expect(200);
    expect(all.body.items.find((k: { id: string }) => k.id === id).revokedAt).toEqual(expect.any(String));
  });

  it('refuses unknown and malformed keys with 401', async () => {
    expectProblem(await app.http.get('/api/v1/identity/users').set('x-api-key', 'crm_' + 'x'.repeat(43)), 401);
    expectProblem(await app.http.get('/api/v1/identity/users').set('x-api-key', 'short'), 401);
  });

  it('cannot grant more than its creator holds', async () => {
    await app.http
      .post('/api/v1/identity/roles')
      .set(admin)
      .send({ key: 'key-maker', name: 'Key maker', permissions: ['identity.api-key:create', 'sales.account:read'] })
      .expect(201);
    const maker = await fx.user({ roles: ['key-maker'] });
    expectProblem(await app.http.post('/api/v1/identity/api-keys').set(maker.auth).send({ name: 'greedy', permissions: ['sales.*:*'] }), 422, 'identity.api-key.permission-not-held');
    await app.http.post('/api/v1/identity/api-keys').set(maker.auth).send({ name: 'fine', permissions: ['sales.account:read'] }).expect(201);
  });

  it('stops working when its creator is deactivated', async () => {
    await app.http.post('/api/v1/identity/roles').set(admin).send({ key: 'key-admin', name: 'Key admin', permissions: ['identity.*:*'] }).expect(201);
    const creator = await fx.user({ roles: ['key-admin'] });
    const { key } = (await app.http.post('/api/v1/identity/api-keys').set(creator.auth).send({ name: 'k', permissions: ['identity.user:read'] }).expect(201)).body;
    await app.http.get('/api/v1/identity/users').set('x-api-key', key).expect(200);
    await app.http.post(`/api/v1/identity/users/${creator.id}/deactivate`).set(admin).expect(200);
    expectProblem(await app.http.get('/api/v1/identity/users').set('x-api-key', key), 401);
  });

  it('refuses bad requests', async () => {
    expectProblem(await app.http.post('/api/v1/identity/api-keys').set(admin).send({ name: 'x', permissions: [] }), 400);
    expectProblem(await app.http.post('/api/v1/identity/api-keys').set(admin).send({ name: 'x', permissions: ['not a permission'] }), 400);
    expectProblem(await app.http.delete('/api/v1/identity/api-keys/0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d').set(admin), 404);
  });
});
