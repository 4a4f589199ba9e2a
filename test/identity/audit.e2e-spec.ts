import { authHeader, identityFixtures } from '../support/identity';
import { expectProblem, startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
let fx: ReturnType<typeof identityFixtures>;
let admin: { authorization: string };
let adminId: string;

beforeAll(async () => {
  // X-Forwarded-For from a proxy on the loopback is believed (the audit records the client's address).
  app = await startTestApp({ env: { TRUST_PROXY: 'loopback' } });
  fx = identityFixtures(app);
  admin = authHeader(await fx.adminToken());
  adminId = (await app.http.get('/api/v1/auth/me').set(admin)).body.id;
});
afterAll(() => app?.close());

const entriesOf = (recordType: string, recordId: string) =>
  app.sql<{ action: string; actor_type: string; actor_id: string; actor_user_id: string; changes: Record<string, unknown>; ip: string; request_id: string }>(
    `SELECT action, actor_type, actor_id, actor_user_id, changes, ip, request_id FROM platform.audit_entries WHERE record_type = $1 AND record_id = $2 ORDER BY at, id`,
    [recordType, recordId],
  );

describe('one audit row per write, with actor and diff, no secrets', () => {
  it('records a user creation with every field but the password', async () => {
    const res = await app.http
      .post('/api/v1/identity/users')
      .set(admin)
      .set('x-request-id', 'audit-create-1')
      .set('x-forwarded-for', '203.0.113.9')
      .send({ email: 'audited@example.com', name: 'Audited', password: 'secret-password-1', roles: ['sales-rep'] })
      .expect(201);
    const rows = await entriesOf('identity.user', res.body.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'create', actor_type: 'user', actor_id: adminId, actor_user_id: adminId, ip: '203.0.113.9', request_id: 'audit-create-1' });
    expect(rows[0].changes).toMatchObject({ email: { after: 'audited@example.com' }, name: { after: 'Audited' }, roles: { after: ['sales-rep'] } });
    expect(JSON.stringify(rows[0].changes)).not.toMatch(/secret-password-1|scrypt|password|hash/i);
  });

  it('records only the changed fields of an update, and a password change without the password', async () => {
    const user = await fx.user({ roles: ['sales-rep'] });
    const before = await entriesOf('identity.user', user.id);
    await app.http.patch(`/api/v1/identity/users/${user.id}`).set(admin).send({ name: 'Renamed', password: 'another-password-2' }).expect(200);
    const rows = await entriesOf('identity.user', user.id);
    expect(rows).toHaveLength(before.length + 1);
    const last = rows[rows.length - 1];
    expect(last.action).toBe('update');
    expect(last.changes).toEqual({ name: { before: user.email.split('@')[0], after: 'Renamed' } });
  });

  it('records deactivation, org unit and role writes, and API keys without the key', async () => {
    const user = await fx.user({ roles: ['sales-rep'] });
    await app.http.post(`/api/v1/identity/users/${user.id}/deactivate`).set(admin).expect(200);
    expect((await entriesOf('identity.user', user.id)).map((r) => r.action)).toEqual(['create', 'deactivate']);
    expect((await entriesOf('identity.user', user.id))[1].changes).toEqual({ active: { before: true, after: false } });

    const unit = await fx.orgUnit({ name: 'Audited unit' });
    await app.http.patch(`/api/v1/identity/org-units/${unit.id}`).set(admin).send({ name: 'Renamed unit' }).expect(200);
    expect((await entriesOf('identity.org-unit', unit.id)).map((r) => [r.action, r.changes])).toEqual([
      ['create', expect.objectContaining({ name: { after: 'Audited unit' }, type: { after: 'group' } })],
      ['update', { name: { before: 'Audited unit', after: 'Renamed unit' } }],
    ]);

    const role = await app.http.post('/api/v1/identity/roles').set(admin).send({ key: 'audited-role', name: 'A', permissions: ['sales.account:read'] }).expect(201);
    expect(await entriesOf('identity.role', role.body.id)).toHaveLength(1);

    const key = await app.http.post('/api/v1/identity/api-keys').set(admin).send({ name: 'audited key', permissions: ['identity.user:read'] }).expect(201);
    await app.http.delete(`/api/v1/identity/api-keys/${key.body.id}`).set(admin).expect(204);
    const keyRows = await entriesOf('identity.api-key', key.body.id);
    expect(keyRows.map((r) => r.action)).toEqual(['create', 'revoke']);
    expect(JSON.stringify(keyRows)).not.toContain(key.body.key);
  });

  it('writes nothing when the write fails', async () => {
    const count = async () => (await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM platform.audit_entries`))[0].n;
    const n = await count();
    expectProblem(await app.http.post('/api/v1/identity/users').set(admin).send({ email: 'audited@example.com', name: 'Dup', roles: [] }), 409);
    expectProblem(await app.http.post('/api/v1/identity/users').set(admin).send({ email: 'x@example.com', name: 'X', roles: ['no-such-role'] }), 422);
    expect(await count()).toBe(n);
  });

  it('records the API key as the actor when a key writes', async () => {
    const key = (await app.http.post('/api/v1/identity/api-keys').set(admin).send({ name: 'writer', permissions: ['identity.org-unit:create'] }).expect(201)).body;
    const unit = await app.http.post('/api/v1/identity/org-units').set('x-api-key', key.key).send({ name: 'By key', type: 'group' }).expect(201);
    const [row] = await entriesOf('identity.org-unit', unit.body.id);
    expect(row).toMatchObject({ actor_type: 'api-key', actor_id: key.id, actor_user_id: adminId });
  });
});

describe('the audit log is append-only', () => {
  it('refuses UPDATE and DELETE of audit rows in the database', async () => {
    const [{ id }] = await app.sql<{ id: string }>(`SELECT id FROM platform.audit_entries LIMIT 1`);
    await expect(app.sql(`UPDATE platform.audit_entries SET action = 'forged' WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(app.sql(`DELETE FROM platform.audit_entries WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(app.sql(`TRUNCATE platform.audit_entries`)).rejects.toThrow(/append-only/);
    expect(await app.sql(`SELECT action FROM platform.audit_entries WHERE id = $1`, [id])).not.toEqual([{ action: 'forged' }]);
  });
});

describe('GET /api/v1/audit/entries', () => {
  it('filters by record, actor and period, newest first, and pages', async () => {
    const user = await fx.user({ roles: ['sales-rep'] });
    await app.http.patch(`/api/v1/identity/users/${user.id}`).set(admin).send({ name: 'One' }).expect(200);
    await app.http.patch(`/api/v1/identity/users/${user.id}`).set(admin).send({ name: 'Two' }).expect(200);
    const byRecord = await app.http.get('/api/v1/audit/entries').set(admin).query({ recordType: 'identity.user', recordId: user.id }).expect(200);
    expect(byRecord.body.items.map((e: { action: string }) => e.action)).toEqual(['update', 'update', 'create']);
    expect(byRecord.body.items[0]).toMatchObject({ recordType: 'identity.user', recordId: user.id, actor: { type: 'user', id: adminId, userId: adminId }, changes: { name: { before: 'One', after: 'Two' } } });

    const paged = await app.http.get('/api/v1/audit/entries').set(admin).query({ recordId: user.id, limit: 2 }).expect(200);
    expect(paged.body.items).toHaveLength(2);
    const rest = await app.http.get('/api/v1/audit/entries').set(admin).query({ recordId: user.id, limit: 2, cursor: paged.body.nextCursor }).expect(200);
    expect(rest.body.items.map((e: { action: string }) => e.action)).toEqual(['create']);

    const byActor = await app.http.get('/api/v1/audit/entries').set(admin).query({ actorId: adminId, limit: 500 }).expect(200);
    expect(byActor.body.items.length).toBeGreaterThanOrEqual(3);
    expect(byActor.body.items.every((e: { actor: { id: string } }) => e.actor.id === adminId)).toBe(true);

    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await app.http.get('/api/v1/audit/entries').set(admin).query({ from: future }).expect(200)).body.items).toEqual([]);
    const past = new Date(Date.now() - 3_600_000).toISOString();
    expect((await app.http.get('/api/v1/audit/entries').set(admin).query({ to: past }).expect(200)).body.items).toEqual([]);
  });

  it('is closed to roles without audit.entry:read', async () => {
    const rep = await fx.user({ roles: ['sales-rep'] });
    expectProblem(await app.http.get('/api/v1/audit/entries').set(rep.auth), 403);
    expectProblem(await app.http.get('/api/v1/audit/entries').set(admin).query({ actorId: 'nope' }), 400);
  });
});
