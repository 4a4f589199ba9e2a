import { randomUUID } from 'node:crypto';
import { DataScopeService } from '../../src/platform/identity/application/data-scope';
import { OrgDirectory } from '../../src/platform/identity/application/org-directory';
import { authHeader, identityFixtures, type FixtureUser } from '../support/identity';
import { expectProblem, startTestApp, type TestApp } from '../support/test-app';
import { NOTE_RESOURCE, NOTES_DDL, ScopeSampleModule } from './scope-sample.module';

let app: TestApp;
let fx: ReturnType<typeof identityFixtures>;

let ACC1: string;
let ACC2: string;
const people: Record<string, FixtureUser> = {};
const units: Record<string, { id: string }> = {};
const notes: Record<string, string> = {};

/**
 *   group G
 *   ├── region R            director D (sales-director)
 *   │   ├── team T1         rep A (sales-rep), manager M (sales-manager)
 *   │   └── team T2         rep B (sales-rep)
 *   └── region R2
 *       └── team T3         rep C (sales-rep)
 *   partner P (account ACC1), customer U (account ACC2)
 */
beforeAll(async () => {
  app = await startTestApp({ extraModules: [ScopeSampleModule] });
  await app.sql(NOTES_DDL);
  fx = identityFixtures(app);
  units.G = await fx.orgUnit({ name: 'Group', type: 'group' });
  units.R = await fx.orgUnit({ name: 'Region', type: 'region', parentId: units.G.id });
  units.R2 = await fx.orgUnit({ name: 'Region 2', type: 'region', parentId: units.G.id });
  units.T1 = await fx.orgUnit({ name: 'Team 1', type: 'team', parentId: units.R.id });
  units.T2 = await fx.orgUnit({ name: 'Team 2', type: 'team', parentId: units.R.id });
  units.T3 = await fx.orgUnit({ name: 'Team 3', type: 'team', parentId: units.R2.id });
  const portal = await app.http
    .post('/api/v1/identity/roles')
    .set(authHeader(await fx.adminToken()))
    .send({ key: 'portal-notes', name: 'Portal notes', permissions: [`${NOTE_RESOURCE}:read`], dataScopes: { '*': 'all' } });
  expect(portal.status).toBe(201);
  people.D = await fx.user({ roles: ['sales-director'], orgUnitId: units.R.id });
  people.M = await fx.user({ roles: ['sales-manager'], orgUnitId: units.T1.id, managerId: people.D.id });
  people.A = await fx.user({ roles: ['sales-rep'], orgUnitId: units.T1.id, managerId: people.M.id });
  people.B = await fx.user({ roles: ['sales-rep'], orgUnitId: units.T2.id });
  people.C = await fx.user({ roles: ['sales-rep'], orgUnitId: units.T3.id });
  // Partner and customer users are bound to accounts that exist (and that the admin creating them sees).
  const account = async (name: string) => {
    const res = await app.http.post('/api/v1/sales/accounts').set(authHeader(await fx.adminToken())).send({ name, type: 'customer' });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  ACC1 = await account('Account 1');
  ACC2 = await account('Account 2');
  people.P = await fx.user({ roles: ['portal-notes'], kind: 'partner', accountId: ACC1 });
  people.U = await fx.user({ roles: ['portal-notes'], kind: 'customer', accountId: ACC2 });
  const adminToken = await fx.adminToken();
  people.admin = { id: '', email: '', token: adminToken, auth: authHeader(adminToken) };

  const seed: [string, string | null, string | null][] = [
    ['nA', people.A.id, ACC1],
    ['nM', people.M.id, ACC2],
    ['nB', people.B.id, ACC1],
    ['nC', people.C.id, ACC2],
    ['nD', people.D.id, null],
    ['nX', null, null],
  ];
  for (const [title, owner, account] of seed) {
    notes[title] = randomUUID();
    await app.sql(`INSERT INTO scope_test.note (id, title, owner_id, account_id) VALUES ($1, $2, $3, $4)`, [notes[title], title, owner, account]);
  }
});
afterAll(() => app?.close());

const ALL = ['nA', 'nB', 'nC', 'nD', 'nM', 'nX'];
const EXPECTED: [string, string, string[]][] = [
  ['A', 'a rep (own)', ['nA']],
  ['M', 'a manager of the rep’s team (team)', ['nA', 'nM']],
  ['D', 'a director of the parent unit (subtree)', ['nA', 'nB', 'nD', 'nM']],
  ['admin', 'an admin (all)', ALL],
  ['P', 'a partner user (their account)', ['nA', 'nB']],
  ['U', 'a customer user (their account)', ['nC', 'nM']],
];

describe.each(EXPECTED)('%s: %s', (who, _label, visible) => {
  it('lists exactly the records in scope', async () => {
    const res = await app.http.get('/test/notes').set(people[who].auth).expect(200);
    expect(res.body.items.map((n: { title: string }) => n.title).sort()).toEqual(visible);
  });

  it('reads the records in scope and gets 404 on every other', async () => {
    for (const title of ALL) {
      const res = await app.http.get(`/test/notes/${notes[title]}`).set(people[who].auth);
      if (visible.includes(title)) expect({ title, status: res.status }).toEqual({ title, status: 200 });
      else expectProblem(res, 404, 'not-found');
    }
  });
});

describe('scope over the org tree', () => {
  it('follows a move of a unit: the director of the new parent sees its records', async () => {
    const admin = authHeader(await fx.adminToken());
    const unit = await app.http.get(`/api/v1/identity/org-units/${units.T3.id}`).set(admin).expect(200);
    await app.http.patch(`/api/v1/identity/org-units/${units.T3.id}`).set(admin).set('if-match', unit.headers.etag).send({ parentId: units.R.id }).expect(200);
    const res = await app.http.get('/test/notes').set(people.D.auth).expect(200);
    expect(res.body.items.map((n: { title: string }) => n.title).sort()).toEqual(['nA', 'nB', 'nC', 'nD', 'nM']);
    await app.http.patch(`/api/v1/identity/org-units/${units.T3.id}`).set(admin).send({ parentId: units.R2.id }).expect(200);
    const back = await app.http.get('/test/notes').set(people.D.auth).expect(200);
    expect(back.body.items.map((n: { title: string }) => n.title).sort()).toEqual(['nA', 'nB', 'nD', 'nM']);
  });

  it('gives the head of a unit the team scope over that unit', async () => {
    const admin = authHeader(await fx.adminToken());
    const head = await fx.user({ roles: ['sales-manager'], orgUnitId: units.R2.id });
    await app.http.patch(`/api/v1/identity/org-units/${units.T3.id}`).set(admin).send({ headUserId: head.id }).expect(200);
    const res = await app.http.get('/test/notes').set(head.auth).expect(200);
    expect(res.body.items.map((n: { title: string }) => n.title)).toEqual(['nC']);
  });

  it('answers visibleOwnerIds and the org directory from the same tree', async () => {
    const scopes = app.get(DataScopeService);
    const directory = app.get(OrgDirectory);
    const actorOf = async (user: FixtureUser) => {
      const me = (await app.http.get('/api/v1/auth/me').set(user.auth)).body;
      return { type: 'user' as const, id: me.id, userId: me.id, kind: me.kind, orgUnitId: me.orgUnitId, accountId: me.accountId, permissions: new Set<string>(me.permissions), dataScopes: me.dataScopes };
    };
    expect((await scopes.visibleOwnerIds(await actorOf(people.M), NOTE_RESOURCE))?.sort()).toEqual([people.A.id, people.M.id].sort());
    expect(await scopes.visibleOwnerIds(await actorOf(people.admin), NOTE_RESOURCE)).toBeNull();
    expect((await directory.orgUnitAncestors(units.T1.id)).map((u) => u.id)).toEqual([units.T1.id, units.R.id, units.G.id]);
    expect((await directory.orgUnitSubtreeIds(units.R.id)).sort()).toEqual([units.R.id, units.T1.id, units.T2.id].sort());
    expect((await directory.usersWithRoleInUnit('sales-rep', units.T1.id)).map((u) => u.id)).toEqual([people.A.id]);
    expect((await directory.activeUsersInSubtree(units.R.id)).map((u) => u.id).sort()).toEqual([people.D.id, people.M.id, people.A.id, people.B.id].sort());
    expect(await directory.user(people.A.id)).toMatchObject({ id: people.A.id, managerId: people.M.id, orgUnitId: units.T1.id, roles: ['sales-rep'], active: true });
  });
});

describe('GET /api/v1/identity/access/explain', () => {
  const explain = async (who: string, title: string) => {
    const res = await app.http
      .get('/api/v1/identity/access/explain')
      .set(authHeader(await fx.adminToken()))
      .query({ userId: people[who].id, recordType: NOTE_RESOURCE, recordId: notes[title] });
    expect(res.status).toBe(200);
    return res;
  };

  it('explains a refusal by scope', async () => {
    const res = await explain('A', 'nB');
    expect(res.body).toMatchObject({ canRead: false, scope: 'own', inScope: false, permission: { granted: true, grantedBy: ['sales-rep'] } });
    expect(res.body.record).toEqual({ found: true, ownerId: people.B.id, accountId: ACC1 });
    expect(res.body.reasons.join(' ')).toMatch(/Scope own/);
  });

  it('explains a grant by team scope, and account confinement', async () => {
    expect((await explain('M', 'nA')).body).toMatchObject({ canRead: true, scope: 'team', inScope: true });
    const partner = (await explain('P', 'nC')).body;
    expect(partner).toMatchObject({ canRead: false, scope: 'account', inScope: false });
    expect(partner.reasons.join(' ')).toMatch(/partner user sees only the records of their account/);
  });

  it('reports a missing permission and a missing record', async () => {
    const res = await app.http
      .get('/api/v1/identity/access/explain')
      .set(authHeader(await fx.adminToken()))
      .query({ userId: people.P.id, recordType: 'identity.user', recordId: people.P.id })
      .expect(200);
    expect(res.body).toMatchObject({ canRead: false, permission: { granted: false, grantedBy: [] }, inScope: true });
    const missing = await app.http
      .get('/api/v1/identity/access/explain')
      .set(authHeader(await fx.adminToken()))
      .query({ userId: people.A.id, recordType: NOTE_RESOURCE, recordId: randomUUID() })
      .expect(200);
    expect(missing.body).toMatchObject({ canRead: false, record: { found: false } });
  });

  it('refuses an unknown record type (400) and is closed to non-admins (403)', async () => {
    expectProblem(
      await app.http.get('/api/v1/identity/access/explain').set(authHeader(await fx.adminToken())).query({ userId: people.A.id, recordType: 'nope.thing', recordId: 'x' }),
      400,
    );
    expectProblem(
      await app.http.get('/api/v1/identity/access/explain').set(people.D.auth).query({ userId: people.A.id, recordType: NOTE_RESOURCE, recordId: notes.nA }),
      403,
    );
  });
});
