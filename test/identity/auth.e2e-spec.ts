import { createHmac } from 'node:crypto';
import { DEV_JWT_SECRET } from '../../src/platform/config/app-config';
import { ActorLoader } from '../../src/platform/identity/application/actor-loader';
import { authHeader, identityFixtures, TEST_PASSWORD } from '../support/identity';
import { expectProblem, startTestApp, TEST_ADMIN, type TestApp } from '../support/test-app';

let app: TestApp;
let fx: ReturnType<typeof identityFixtures>;

beforeAll(async () => {
  // The tests below act as many clients through X-Forwarded-For from a proxy on the loopback.
  app = await startTestApp({ env: { TRUST_PROXY: 'loopback' } });
  fx = identityFixtures(app);
});
afterAll(() => app?.close());

const login = (email: string, password: string, ip = '198.51.100.1') =>
  app.http.post('/api/v1/auth/login').set('x-forwarded-for', ip).send({ email, password });

describe('bootstrap and login', () => {
  it('creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD, with a scrypt hash', async () => {
    const [row] = await app.sql<{ roles: string[]; password_hash: string }>(`SELECT roles, password_hash FROM platform.app_user WHERE email = $1`, [TEST_ADMIN.email]);
    expect(row.roles).toEqual(['admin']);
    expect(row.password_hash).toMatch(/^scrypt\$\d+\$8\$1\$/);
    expect(row.password_hash).not.toContain(TEST_ADMIN.password);
  });

  it('signs in and answers /me with roles and effective permissions', async () => {
    const res = await login(TEST_ADMIN.email.toUpperCase(), TEST_ADMIN.password).expect(200);
    expect(res.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
    const me = await app.http.get('/api/v1/auth/me').set(authHeader(res.body.accessToken)).expect(200);
    expect(me.body).toMatchObject({ email: TEST_ADMIN.email, kind: 'employee', roles: ['admin'], actorType: 'user' });
    expect(me.body.permissions).toContain('*:*');
    expect(JSON.stringify(me.body)).not.toMatch(/hash|password/i);
  });

  it('refuses a wrong password and an unknown email alike with 401', async () => {
    expectProblem(await login(TEST_ADMIN.email, 'wrong-password'), 401, 'invalid-credentials');
    expectProblem(await login('nobody@example.com', 'whatever-1'), 401, 'invalid-credentials');
  });

  it('answers 401 without credentials on a protected route', async () => {
    expectProblem(await app.http.get('/api/v1/auth/me'), 401, 'unauthenticated');
    expectProblem(await app.http.get('/api/v1/identity/users'), 401, 'unauthenticated');
  });

  it('answers 403 when the role lacks the permission', async () => {
    const rep = await fx.user({ roles: ['sales-rep'] });
    expectProblem(await app.http.get('/api/v1/identity/roles').set(rep.auth), 403, 'permission-denied');
    expectProblem(await app.http.post('/api/v1/identity/users').set(rep.auth).send({}), 403, 'permission-denied');
    expect((await app.http.get('/api/v1/auth/me').set(rep.auth).expect(200)).body.roles).toEqual(['sales-rep']);
  });
});

describe('refresh tokens', () => {
  it('rotates: each refresh spends the token and returns a new pair that works', async () => {
    const first = (await login(TEST_ADMIN.email, TEST_ADMIN.password).expect(200)).body;
    const second = (await app.http.post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)).body;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    await app.http.get('/api/v1/auth/me').set(authHeader(second.accessToken)).expect(200);
    const third = await app.http.post('/api/v1/auth/refresh').send({ refreshToken: second.refreshToken }).expect(200);
    expect(third.body.refreshToken).not.toBe(second.refreshToken);
    const stored = await app.sql(`SELECT 1 FROM platform.refresh_token WHERE token_hash = $1 OR token_hash = $2`, [first.refreshToken, second.refreshToken]);
    expect(stored).toEqual([]); // only hashes are stored
  });

  it('revokes the whole family when a spent refresh token is presented again', async () => {
    const first = (await login(TEST_ADMIN.email, TEST_ADMIN.password).expect(200)).body;
    const second = (await app.http.post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)).body;
    expectProblem(await app.http.post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken }), 401, 'refresh-token-reused');
    // The legitimate holder's newer token is dead too.
    expectProblem(await app.http.post('/api/v1/auth/refresh').send({ refreshToken: second.refreshToken }), 401, 'invalid-refresh-token');
  });

  it('refuses an unknown refresh token', async () => {
    expectProblem(await app.http.post('/api/v1/auth/refresh').send({ refreshToken: 'not-a-token' }), 401, 'invalid-refresh-token');
  });

  it('logout revokes the refresh token', async () => {
    const pair = (await login(TEST_ADMIN.email, TEST_ADMIN.password).expect(200)).body;
    await app.http.post('/api/v1/auth/logout').send({ refreshToken: pair.refreshToken }).expect(204);
    expectProblem(await app.http.post('/api/v1/auth/refresh').send({ refreshToken: pair.refreshToken }), 401);
  });
});

describe('deactivation', () => {
  it('stops the user’s access and refresh tokens at once, and sign-in', async () => {
    const user = await fx.user({ roles: ['sales-rep'] });
    const pair = (await login(user.email, TEST_PASSWORD).expect(200)).body;
    await app.http.get('/api/v1/auth/me').set(user.auth).expect(200);
    const admin = authHeader(await fx.adminToken());
    const res = await app.http.post(`/api/v1/identity/users/${user.id}/deactivate`).set(admin).expect(200);
    expect(res.body.active).toBe(false);
    expectProblem(await app.http.get('/api/v1/auth/me').set(user.auth), 401);
    expectProblem(await app.http.get('/api/v1/auth/me').set(authHeader(pair.accessToken)), 401);
    expectProblem(await app.http.post('/api/v1/auth/refresh').send({ refreshToken: pair.refreshToken }), 401);
    expectProblem(await login(user.email, TEST_PASSWORD), 401, 'invalid-credentials');
  });

  it('checks each of many concurrent requests against its own caller’s current state', async () => {
    const [rep, manager, gone] = await Promise.all([
      fx.user({ roles: ['sales-rep'] }),
      fx.user({ roles: ['sales-manager'] }),
      fx.user({ roles: ['sales-rep'] }),
    ]);
    const admin = authHeader(await fx.adminToken());
    await app.http.post(`/api/v1/identity/users/${gone.id}/deactivate`).set(admin).expect(200);
    // Requests that arrive together share one read of their callers' rows: each must still get its own answer.
    const callers = Array.from({ length: 30 }, (_, i) => [rep, manager, gone][i % 3]);
    const answers = await Promise.all(callers.map((caller) => app.http.get('/api/v1/auth/me').set(caller.auth)));
    answers.forEach((res, i) => {
      const caller = callers[i];
      if (caller === gone) return expect(res.status).toBe(401);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: caller.id, roles: caller === rep ? ['sales-rep'] : ['sales-manager'] });
    });
    // The same, for checks issued in one turn of the event loop (certainly one shared read).
    const loaded = await Promise.all([...callers, { id: '00000000-0000-7000-8000-000000000000' }].map((c) => app.get(ActorLoader).forRequest(c.id)));
    expect(loaded.map((u) => u && { id: u.id, active: u.active, roles: u.roles })).toEqual([
      ...callers.map((c) => ({ id: c.id, active: c !== gone, roles: c === manager ? ['sales-manager'] : ['sales-rep'] })),
      null,
    ]);
  });

  it('refuses to deactivate yourself', async () => {
    const admin = authHeader(await fx.adminToken());
    const me = (await app.http.get('/api/v1/auth/me').set(admin)).body;
    expectProblem(await app.http.post(`/api/v1/identity/users/${me.id}/deactivate`).set(admin), 422, 'identity.user.cannot-deactivate-self');
  });
});

describe('forged access tokens → 401', () => {
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const sign = (header: object, payload: object, secret = DEV_JWT_SECRET) => {
    const unsigned = `${b64(header)}.${b64(payload)}`;
    return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
  };
  let adminId: string;
  let valid: Record<string, unknown>;
  beforeAll(async () => {
    const token = await fx.adminToken();
    adminId = (await app.http.get('/api/v1/auth/me').set(authHeader(token))).body.id;
    valid = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
  });
  const now = () => Math.floor(Date.now() / 1000);

  it('accepts a correctly made token (the control)', async () => {
    await app.http.get('/api/v1/auth/me').set(authHeader(sign({ alg: 'HS256', typ: 'JWT' }, valid))).expect(200);
  });

  it.each([
    ['alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(valid)}.`],
    ['wrong signature', () => sign({ alg: 'HS256', typ: 'JWT' }, valid, 'another-secret-another-secret-another')],
    ['expired', () => sign({ alg: 'HS256', typ: 'JWT' }, { ...valid, iat: now() - 3600, exp: now() - 60 })],
    ['wrong issuer', () => sign({ alg: 'HS256', typ: 'JWT' }, { ...valid, iss: 'someone-else' })],
    ['wrong audience', () => sign({ alg: 'HS256', typ: 'JWT' }, { ...valid, aud: 'another-api' })],
    ['HS512 instead of HS256', () => {
      const unsigned = `${b64({ alg: 'HS512', typ: 'JWT' })}.${b64(valid)}`;
      return `${unsigned}.${createHmac('sha512', DEV_JWT_SECRET).update(unsigned).digest('base64url')}`;
    }],
    ['tampered payload', () => {
      const [h, , s] = sign({ alg: 'HS256', typ: 'JWT' }, valid).split('.');
      return `${h}.${b64({ ...valid, sub: '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d' })}.${s}`;
    }],
    ['no expiry', () => sign({ alg: 'HS256', typ: 'JWT' }, { ...valid, exp: undefined })],
    ['stale session version', () => sign({ alg: 'HS256', typ: 'JWT' }, { ...valid, sv: 0 })],
    ['garbage', () => 'not.a.jwt'],
  ])('%s', async (_name, make) => {
    expect(adminId).toBeDefined();
    expectProblem(await app.http.get('/api/v1/auth/me').set(authHeader(make())), 401, 'unauthenticated');
  });
});

describe('brute force', () => {
  it('answers 429 with Retry-After after repeated failures on one account, even with the right password', async () => {
    const user = await fx.user({ roles: ['sales-rep'] });
    for (let i = 0; i < 5; i++) expectProblem(await login(user.email, 'wrong-password', `203.0.113.${i}`), 401);
    const blocked = await login(user.email, TEST_PASSWORD, '203.0.113.99');
    expectProblem(blocked, 429, 'too-many-login-attempts');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(900);
    const [row] = await app.sql<{ failures: number }>(`SELECT failures FROM platform.login_throttle WHERE key = $1`, [`account:${user.email}`]);
    expect(row.failures).toBe(5);
  });

  it('answers 429 per IP across many accounts', async () => {
    const ip = '192.0.2.77';
    for (let i = 0; i < 30; i++) expectProblem(await login(`probe-${i}@example.com`, 'wrong-password', ip), 401);
    const res = await login(TEST_ADMIN.email, TEST_ADMIN.password, ip);
    expectProblem(res, 429, 'too-many-login-attempts');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    await login(TEST_ADMIN.email, TEST_ADMIN.password, '192.0.2.78').expect(200);
  });

  it('a successful sign-in resets the account counter', async () => {
    const user = await fx.user({ roles: ['sales-rep'] });
    for (let i = 0; i < 4; i++) await login(user.email, 'wrong-password', '198.51.100.50');
    await login(user.email, TEST_PASSWORD, '198.51.100.50').expect(200);
    for (let i = 0; i < 4; i++) await login(user.email, 'wrong-password', '198.51.100.50');
    await login(user.email, TEST_PASSWORD, '198.51.100.50').expect(200);
  });
});
