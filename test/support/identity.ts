import { randomUUID } from 'node:crypto';
import { TEST_ADMIN, type TestApp } from './test-app';

export const TEST_PASSWORD = 'test-password-123';

export const authHeader = (token: string) => ({ authorization: `Bearer ${token}` });

export interface FixtureUser {
  id: string;
  email: string;
  token: string;
  /** `{ authorization: 'Bearer …' }` for `.set(...)`. */
  auth: { authorization: string };
}

export interface UserInput {
  roles: string[];
  orgUnitId?: string;
  managerId?: string;
  kind?: 'employee' | 'partner' | 'customer';
  accountId?: string;
  email?: string;
  name?: string;
}

export interface OrgUnitInput {
  name?: string;
  type?: 'group' | 'region' | 'branch' | 'department' | 'team';
  parentId?: string;
  headUserId?: string;
}

function expectStatus(res: { status: number; body: unknown }, status: number, what: string) {
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * Arrange people and org units through the HTTP API (as the bootstrap admin):
 * `const id = identityFixtures(app); const rep = await id.user({ roles: ['sales-rep'], orgUnitId: team.id });`
 * then `app.http.get(...).set(rep.auth)`.
 */
export function identityFixtures(app: TestApp) {
  let admin: Promise<string> | undefined;

  async function login(email: string, password: string): Promise<string> {
    const res = await app.http.post('/api/v1/auth/login').send({ email, password });
    expectStatus(res, 200, `login ${email}`);
    return res.body.accessToken as string;
  }

  const adminToken = (): Promise<string> => (admin ??= login(TEST_ADMIN.email, TEST_ADMIN.password));

  return {
    adminToken,
    login,

    async orgUnit(input: OrgUnitInput = {}): Promise<{ id: string }> {
      const res = await app.http
        .post('/api/v1/identity/org-units')
        .set(authHeader(await adminToken()))
        .send({ name: input.name ?? `Unit ${randomUUID().slice(0, 8)}`, type: input.type ?? (input.parentId ? 'team' : 'group'), ...input });
      expectStatus(res, 201, 'create org unit');
      return { id: res.body.id };
    },

    async user(input: UserInput): Promise<FixtureUser> {
      const email = input.email ?? `user-${randomUUID()}@example.com`;
      const res = await app.http
        .post('/api/v1/identity/users')
        .set(authHeader(await adminToken()))
        .send({ name: input.name ?? email.split('@')[0], password: TEST_PASSWORD, kind: 'employee', ...input, email });
      expectStatus(res, 201, 'create user');
      const token = await login(email, TEST_PASSWORD);
      return { id: res.body.id, email, token, auth: authHeader(token) };
    },
  };
}
