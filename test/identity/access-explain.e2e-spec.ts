import { financeFixtures } from '../finance/finance-fixtures';
import { authHeader, type FixtureUser } from '../support/identity';
import { expectProblem, startTestApp, type TestApp } from '../support/test-app';

/**
 * The access explanation knows the record types the contexts declare (RecordScopeRegistry, filled
 * from Sales' and Finance's scope declarations at start-up): it explains why a user can or cannot
 * read a sales account, an opportunity and an expense claim.
 */
let app: TestApp;
let f: ReturnType<typeof financeFixtures>;
let people: Awaited<ReturnType<ReturnType<typeof financeFixtures>['team']>>;
const records: Record<string, string> = {};

beforeAll(async () => {
  app = await startTestApp({ env: { WORKERS: 'false' } });
  f = financeFixtures(app);
  people = await f.team();
  const account = await app.http.post('/api/v1/sales/accounts').set(people.alice.auth).send({ name: 'Explained account', type: 'customer' });
  expect(account.status).toBe(201);
  records['sales.account'] = account.body.id;
  const opportunity = await app.http
    .post('/api/v1/sales/opportunities')
    .set(people.alice.auth)
    .send({ name: 'Explained deal', accountId: account.body.id, amountMinor: 100_000, currency: 'EUR', closeDate: '2026-06-30' });
  expect(opportunity.status).toBe(201);
  records['sales.opportunity'] = opportunity.body.id;
  const centre = await f.centre({ ownerId: people.alice.id });
  records['finance.expense-claim'] = (await f.claim(people.alice, centre.id, [1_000])).id;
});
afterAll(() => app?.close());

async function explain(user: FixtureUser, recordType: string, recordId = records[recordType]) {
  const res = await app.http
    .get('/api/v1/identity/access/explain')
    .set(authHeader(await f.identity.adminToken()))
    .query({ userId: user.id, recordType, recordId });
  expect(res.status).toBe(200);
  return res.body;
}

describe.each(['sales.account', 'sales.opportunity', 'finance.expense-claim'])('GET /api/v1/identity/access/explain for %s', (recordType) => {
  it('explains why the owner can read it', async () => {
    const body = await explain(people.alice, recordType);
    expect(body).toMatchObject({
      userId: people.alice.id,
      recordType,
      recordId: records[recordType],
      canRead: true,
      inScope: true,
      permission: { name: `${recordType}:read`, granted: true, grantedBy: ['sales-rep'] },
      record: { found: true, ownerId: people.alice.id },
    });
    expect(body.reasons).toEqual([`The user holds ${recordType}:read through sales-rep`, expect.stringMatching(/owned by the user, so it is visible$/)]);
  });

  it('explains why a user of another org unit cannot', async () => {
    const body = await explain(people.stranger, recordType);
    expect(body).toMatchObject({
      canRead: false,
      inScope: false,
      permission: { granted: true },
      record: { found: true, ownerId: people.alice.id },
    });
    expect(body.scope).not.toBe('all');
    expect(body.reasons[1]).toMatch(new RegExp(`^Scope ${body.scope}: .*owned by user ${people.alice.id}, so it is not visible$`));
  });

  it('reports a record that does not exist', async () => {
    const body = await explain(people.alice, recordType, '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d');
    expect(body).toMatchObject({ canRead: false, inScope: false, record: { found: false, ownerId: null } });
    expect(body.reasons[1]).toBe(`There is no ${recordType} 0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d`);
  });
});

it('lists the contexts’ record types when the record type is unknown', async () => {
  const res = await app.http
    .get('/api/v1/identity/access/explain')
    .set(authHeader(await f.identity.adminToken()))
    .query({ userId: people.alice.id, recordType: 'sales.nope', recordId: records['sales.account'] });
  expectProblem(res, 400, 'validation-failed');
  const [error] = res.body.errors as { field: string; message: string }[];
  expect(error.field).toBe('recordType');
  for (const type of ['sales.account', 'sales.opportunity', 'finance.expense-claim', 'identity.user', 'identity.org-unit']) expect(error.message).toContain(type);
});
