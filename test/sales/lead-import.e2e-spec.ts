import { published } from '../support/events';
import { authHeader, type FixtureUser } from '../support/identity';
import { expectProblem, type TestApp } from '../support/test-app';
import { ok, salesFixtures, startSalesApp } from './given';

let app: TestApp;
let given: ReturnType<typeof salesFixtures>;
let admin: { auth: { authorization: string } };
let manager: FixtureUser;
let rep: FixtureUser;
let otherRep: FixtureUser;
let finance: FixtureUser;

const importUrl = '/api/v1/sales/leads/import';
const csvPost = (user: { auth: object }, csv: string, query: Record<string, string> = {}) =>
  app.http.post(importUrl).query(query).set(user.auth as Record<string, string>).set('content-type', 'text/csv').send(csv);

beforeAll(async () => {
  app = await startSalesApp();
  given = salesFixtures(app);
  admin = { auth: authHeader(await given.identity.adminToken()) };
  const team = await given.team(2);
  ({ manager } = team);
  [rep, otherRep] = team.reps;
  finance = await given.identity.user({ roles: ['finance'] });
});
afterAll(() => app?.close());

const leadCount = async () => (await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM sales.lead`))[0].n;

const MIXED = [
  'Company Name,First Name,Surname,E-mail,Telephone,Region,estimatedAmountMinor,currency,customFields.erpSegment',
  'Globex,Hank,Scorpio,hank@globex.example,+1 415 555 0100,EMEA,2500000,EUR,B2B',
  'Initech,Bill,,bill@initech.example,,APAC,12.5,eur,',
  '"Acme, Inc.",Wile,Coyote,HANK@globex.example,,EMEA,,,',
  'Umbrella,Alice,Abernathy,alice@umbrella.example,,NA,100,USD,B2C',
].join('\n');

it('dry run validates every row with the rules of POST /leads and creates nothing', async () => {
  const before = await leadCount();
  const res = await csvPost(rep, MIXED, { dryRun: 'true' }).expect(200);
  expect(res.body).toEqual({
    dryRun: true,
    total: 4,
    valid: 2,
    created: 0,
    failed: 2,
    leadIds: [],
    errorCount: expect.any(Number),
    errors: expect.arrayContaining([
      { row: 3, field: 'lastName', message: expect.any(String) },
      { row: 3, field: 'estimatedAmountMinor', message: expect.any(String) },
      { row: 3, field: 'currency', message: expect.any(String) },
      { row: 4, field: 'email', message: 'duplicate of row 2 in this file' },
    ]),
  });
  expect(res.body.errors).toHaveLength(res.body.errors.filter((e: { row: number }) => e.row === 3).length + 1);
  expect(res.body.errorCount).toBe(res.body.errors.length);
  expect(await leadCount()).toBe(before);
});

it('imports the valid rows in one go: assignment rules apply, source import, one sales.lead.created each', async () => {
  const unit = await given.identity.orgUnit({ type: 'region' });
  const naRep = await given.identity.user({ roles: ['sales-rep'], orgUnitId: unit.id });
  ok(await app.http.post('/api/v1/sales/lead-assignment-rules').set(admin.auth).send({ name: 'NA imports', priority: 1, criteria: { regions: ['NA'] }, assignTo: { userId: naRep.id }, strategy: 'round-robin' }));
  const res = await csvPost(rep, MIXED).expect(200);
  expect(res.body).toMatchObject({ dryRun: false, total: 4, valid: 2, created: 2, failed: 2 });
  const [globex, umbrella] = res.body.leadIds;
  const g = ok(await app.http.get(`/api/v1/sales/leads/${globex}`).set(rep.auth), 200);
  expect(g).toMatchObject({ company: 'Globex', firstName: 'Hank', lastName: 'Scorpio', email: 'hank@globex.example', source: 'import', ownerId: rep.id, estimatedAmountMinor: 2_500_000, customFields: { erpSegment: 'B2B' } });
  const u = ok(await app.http.get(`/api/v1/sales/leads/${umbrella}`).set(naRep.auth), 200);
  expect(u).toMatchObject({ company: 'Umbrella', ownerId: naRep.id, status: 'assigned', source: 'import' });
  const created = (await published(app, 'sales.lead.created')).filter((e) => res.body.leadIds.includes(e.aggregateId));
  expect(created.map((e) => e.payload)).toEqual([
    expect.objectContaining({ leadId: globex, source: 'import', company: 'Globex' }),
    expect.objectContaining({ leadId: umbrella, source: 'import', company: 'Umbrella' }),
  ]);
});

it('accepts the file inside JSON too, and replays an Idempotency-Key without importing twice', async () => {
  const csv = `lastName,email\n${given.unique('Json')},json-${Date.now()}@example.com\n`;
  const before = await leadCount();
  const a = await app.http.post(importUrl).set(rep.auth).set('idempotency-key', 'import-1').send({ csv }).expect(200);
  const b = await app.http.post(importUrl).set(rep.auth).set('idempotency-key', 'import-1').send({ csv }).expect(200);
  expect(a.body.created).toBe(1);
  expect(b.body).toEqual(a.body);
  expect(b.headers['idempotent-replayed']).toBe('true');
  expect(await leadCount()).toBe(before + 1);
  expectProblem(await app.http.post(importUrl).set(rep.auth).set('idempotency-key', 'import-1').send({ csv: `${csv}x,y\n` }), 422);
});

it('refuses unreadable files and unknown columns (400), too many rows (422), foreign owners per row', async () => {
  expectProblem(await csvPost(rep, 'lastName,email\n"unterminated,x\n'), 400, 'validation-failed');
  expectProblem(await app.http.post(importUrl).set(rep.auth).send({}), 400, 'validation-failed');
  const unknown = await csvPost(rep, 'lastName,shoe size\nSmith,42\n');
  expectProblem(unknown, 400, 'validation-failed');
  expect(unknown.body.errors).toEqual([{ field: 'csv.header[2]', message: expect.stringContaining('unknown column "shoe size"') }]);
  expectProblem(await csvPost(rep, 'email\nx@y.example\n'), 400, 'validation-failed');

  await app.http.patch('/api/v1/sales/settings').set(admin.auth).send({ leadImportMaxRows: 2 }).expect(200);
  const tooMany = await csvPost(rep, 'lastName\nA\nB\nC\n');
  expectProblem(tooMany, 422, 'sales.lead-import.too-many-rows');
  expect(tooMany.body).toMatchObject({ rows: 3, limit: 2 });
  await app.http.patch('/api/v1/sales/settings').set(admin.auth).send({ leadImportMaxRows: 1000 }).expect(200);

  const owners = await csvPost(rep, `lastName,ownerId\nMine,${rep.id}\nTheirs,${otherRep.id}\n`, { dryRun: 'true' }).expect(200);
  // An owner outside the caller's scope reads like an unknown user (nothing about who they are).
  expect(owners.body).toMatchObject({ valid: 1, failed: 1, errors: [{ row: 3, field: 'ownerId', message: `ownerId: identity.user ${otherRep.id} does not exist` }] });
  expect((await csvPost(manager, `lastName,ownerId\nTheirs,${otherRep.id}\n`, { dryRun: 'true' }).expect(200)).body).toMatchObject({ valid: 1, failed: 0 });
  // A campaign column is checked like POST /leads checks it: unknown until Marketing registers campaigns.
  const campaigns = await csvPost(rep, `lastName,campaignId\nCamp,0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3e\n`).expect(200);
  expect(campaigns.body).toMatchObject({ valid: 0, created: 0, failed: 1, errors: [{ row: 2, field: 'campaignId', message: expect.stringContaining('does not exist') }] });
});

it('needs sales.lead:create (403)', async () => {
  expectProblem(await csvPost(finance, 'lastName\nSmith\n'), 403);
});

it('lists the first 1,000 row errors and counts them all', async () => {
  const rows = Array.from({ length: 600 }, (_, i) => `,not-an-email-${i}`);
  const res = await csvPost(rep, ['lastName,email', ...rows].join('\n'), { dryRun: 'true' }).expect(200);
  expect(res.body).toMatchObject({ total: 600, valid: 0, failed: 600 });
  const perRow = res.body.errors.filter((e: { row: number }) => e.row === 2).length;
  expect(perRow).toBeGreaterThanOrEqual(2); // lastName and email
  expect(res.body.errorCount).toBe(600 * perRow);
  expect(res.body.errors).toHaveLength(1000);
  expect(res.body.errors[999].row).toBe(1 + Math.ceil(1000 / perRow));
});
