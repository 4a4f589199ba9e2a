import { authHeader } from '../support/identity';
import { expectProblem, startTestApp, TEST_ADMIN, type TestApp } from '../support/test-app';

/**
 * QUALITY.md 21 (issue #14, item 5): `X-Forwarded-For` is believed only from the proxies
 * TRUST_PROXY names. Otherwise the client address — for the per-IP login limit (30 failures per
 * 15 minutes), the web-form capture limit and the audit log — is the socket's, whatever the
 * header says. supertest connects from the loopback.
 */
const LOOPBACK = /^(::ffff:)?127\.0\.0\.1$|^::1$/;

async function setup(app: TestApp) {
  const admin = authHeader((await app.http.post('/api/v1/auth/login').send(TEST_ADMIN).expect(200)).body.accessToken);
  const form = await app.http.post('/api/v1/sales/lead-capture-forms').set(admin).send({ name: 'Website', ratePerMinute: 2 }).expect(201);
  return { admin, captureUrl: `/api/v1/sales/lead-capture/${form.body.formKey}` };
}

const failLogin = (app: TestApp, i: number, forwardedFor: string) =>
  app.http.post('/api/v1/auth/login').set('x-forwarded-for', forwardedFor).send({ email: `nobody-${i}@example.com`, password: 'wrong-password' });

async function auditIpOfOrgUnit(app: TestApp, admin: { authorization: string }, forwardedFor: string): Promise<string> {
  const unit = await app.http.post('/api/v1/identity/org-units').set(admin).set('x-forwarded-for', forwardedFor).send({ name: `Unit ${forwardedFor}`, type: 'group' }).expect(201);
  const [row] = await app.sql<{ ip: string }>(`SELECT ip FROM platform.audit_entries WHERE record_id = $1 AND action = 'create'`, [unit.body.id]);
  return row.ip;
}

describe('TRUST_PROXY unset (the default): X-Forwarded-For is ignored', () => {
  let app: TestApp;
  let admin: { authorization: string };
  let captureUrl: string;
  beforeAll(async () => {
    app = await startTestApp();
    ({ admin, captureUrl } = await setup(app));
  });
  afterAll(() => app?.close());

  it('records the socket address in the audit log, not the forwarded one', async () => {
    expect(await auditIpOfOrgUnit(app, admin, '203.0.113.50')).toMatch(LOOPBACK);
  });

  it('rate-limits web-form capture per socket address however X-Forwarded-For rotates', async () => {
    await app.http.post(captureUrl).set('x-forwarded-for', '203.0.113.1').send({ lastName: 'One' }).expect(201);
    await app.http.post(captureUrl).set('x-forwarded-for', '203.0.113.2').send({ lastName: 'Two' }).expect(201);
    expectProblem(await app.http.post(captureUrl).set('x-forwarded-for', '203.0.113.3').send({ lastName: 'Three' }), 429, 'sales.lead-capture.rate-limited');
  });

  it('answers 429 after 30 failed logins from one socket however X-Forwarded-For rotates', async () => {
    for (let i = 0; i < 30; i++) expectProblem(await failLogin(app, i, `198.51.100.${i}`), 401, 'invalid-credentials');
    const blocked = await app.http.post('/api/v1/auth/login').set('x-forwarded-for', '192.0.2.200').send(TEST_ADMIN);
    expectProblem(blocked, 429, 'too-many-login-attempts');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    const [row] = await app.sql<{ key: string; failures: number }>(`SELECT key, failures FROM platform.login_throttle WHERE key LIKE 'ip:%'`);
    expect(row.key).toMatch(/^ip:(::ffff:)?127\.0\.0\.1$|^ip:::1$/);
    expect(row.failures).toBe(30);
  });
});

describe('TRUST_PROXY=127.0.0.1: the proxy on the loopback is believed', () => {
  let app: TestApp;
  let admin: { authorization: string };
  let captureUrl: string;
  beforeAll(async () => {
    app = await startTestApp({ env: { TRUST_PROXY: '127.0.0.1' } });
    ({ admin, captureUrl } = await setup(app));
  });
  afterAll(() => app?.close());

  it('records the forwarded client address in the audit log (the nearest untrusted hop)', async () => {
    expect(await auditIpOfOrgUnit(app, admin, '203.0.113.50')).toBe('203.0.113.50');
    // A client cannot prepend a spoofed address: the proxy appends the one it saw.
    expect(await auditIpOfOrgUnit(app, admin, '10.9.9.9, 203.0.113.51')).toBe('203.0.113.51');
  });

  it('rate-limits web-form capture per forwarded client', async () => {
    await app.http.post(captureUrl).set('x-forwarded-for', '203.0.113.7').send({ lastName: 'One' }).expect(201);
    await app.http.post(captureUrl).set('x-forwarded-for', '203.0.113.7').send({ lastName: 'Two' }).expect(201);
    expectProblem(await app.http.post(captureUrl).set('x-forwarded-for', '203.0.113.7').send({ lastName: 'Three' }), 429, 'sales.lead-capture.rate-limited');
    await app.http.post(captureUrl).set('x-forwarded-for', '203.0.113.8').send({ lastName: 'Other client' }).expect(201);
  });

  it('counts failed logins per forwarded client: one is blocked, another is not', async () => {
    for (let i = 0; i < 30; i++) expectProblem(await failLogin(app, i, '198.51.100.77'), 401, 'invalid-credentials');
    expectProblem(await app.http.post('/api/v1/auth/login').set('x-forwarded-for', '198.51.100.77').send(TEST_ADMIN), 429, 'too-many-login-attempts');
    await app.http.post('/api/v1/auth/login').set('x-forwarded-for', '198.51.100.78').send(TEST_ADMIN).expect(200);
  });
});
