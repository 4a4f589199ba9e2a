import { randomUUID } from 'node:crypto';
import { salesFixtures } from '../sales/given';
import { published } from '../support/events';
import { authHeader } from '../support/identity';
import { expectProblem, startTestApp, type TestApp } from '../support/test-app';
import { CC, financeFixtures } from './finance-fixtures';

let app: TestApp;
let f: ReturnType<typeof financeFixtures>;
let people: Awaited<ReturnType<ReturnType<typeof financeFixtures>['team']>>;

beforeAll(async () => {
  // Deliveries happen when the test drains them (deterministic; no background ticks racing the requests).
  app = await startTestApp({ env: { WORKERS: 'false' } });
  f = financeFixtures(app);
  people = await f.team();
});
afterAll(() => app?.close());

describe('cost centres by hand', () => {
  it('opens a centre with figures, a code, an ETag, an opened event and an audit entry', async () => {
    // No subjectId: no Service context registers `service.project` records yet, so any id of one is unknown (finance-security.e2e-spec.ts).
    const res = await app.http.post(CC).set(people.finance.auth).send({ name: 'Apollo', subjectType: 'service.project', capMinor: 50_000, currency: 'CNY' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      code: expect.stringMatching(/^CC-\d{4}-\d{6}$/), capMinor: 50_000, warningLineMinor: 40_000, spentMinor: 0, reservedMinor: 0, availableMinor: 50_000,
      status: 'ok', ownerId: people.finance.id, openedBy: 'manual', version: 1,
    });
    expect(res.headers.etag).toBe('"1"');
    expect((await published(app, 'finance.cost-centre.opened')).map((e) => e.aggregateId)).toContain(res.body.id);
    expect(await app.sql(`SELECT action FROM platform.audit_entries WHERE record_type = 'finance.cost-centre' AND record_id = $1`, [res.body.id])).toEqual([{ action: 'create' }]);
  });

  it('refuses a second centre for the same subject (409) and a warning line above the cap (422)', async () => {
    // The subject must be a record the caller sees: a real opportunity (Sales registers `sales.opportunity`).
    const sales = salesFixtures(app);
    const subjectId = (await sales.opportunity(people.alice, (await sales.account(people.alice)).id)).id as string;
    await f.centre({ subjectType: 'sales.opportunity', subjectId });
    expectProblem(await app.http.post(CC).set(await f.admin()).send({ name: 'x', subjectType: 'sales.opportunity', subjectId, capMinor: 1, currency: 'CNY' }), 409, 'finance.cost-centre.subject-has-centre');
    expectProblem(await app.http.post(CC).set(await f.admin()).send({ name: 'x', subjectType: 'department', capMinor: 10, warningLineMinor: 11, currency: 'CNY' }), 422, 'finance.cost-centre.warning-line-above-cap');
    expectProblem(await app.http.post(CC).set(await f.admin()).send({ name: 'x', subjectType: 'Bad Type', capMinor: -1, currency: 'CNY', spentMinor: 5 }), 400, 'validation-failed');
  });

  it('lists centres in the caller’s scope with filters; the owner sees theirs, others get 404', async () => {
    const mine = await f.centre({ ownerId: people.alice.id, subjectType: 'marketing.campaign' });
    const other = await f.centre({ ownerId: people.bob.id });
    const res = await app.http.get(CC).set(people.alice.auth).expect(200);
    expect(res.body.items.map((c: { id: string }) => c.id)).toEqual([mine.id]);
    expectProblem(await app.http.get(`${CC}/${other.id}`).set(people.alice.auth), 404);
    const filtered = await app.http.get(CC).query({ subjectType: 'marketing.campaign' }).set(people.finance.auth).expect(200);
    expect(filtered.body.items.map((c: { id: string }) => c.id)).toContain(mine.id);
    expect(filtered.body.items.every((c: { subjectType: string }) => c.subjectType === 'marketing.campaign')).toBe(true);
  });
});

describe('changing the cap', () => {
  it('needs finance.cost-centre:change-cap (403 with update alone), is audited as change-cap and published', async () => {
    const admin = await f.admin();
    await app.http.post('/api/v1/identity/roles').set(admin).send({
      key: 'cc-editor', name: 'Cost centre editor', permissions: ['finance.cost-centre:read', 'finance.cost-centre:update'], dataScopes: { 'finance.cost-centre': 'all' },
    }).expect(201);
    const editor = await f.identity.user({ roles: ['cc-editor'] });
    const centre = await f.centre();

    expect((await app.http.patch(`${CC}/${centre.id}`).set(editor.auth).send({ name: 'Renamed' })).status).toBe(200);
    const denied = await app.http.patch(`${CC}/${centre.id}`).set(editor.auth).send({ capMinor: 20_000 });
    expectProblem(denied, 403, 'permission-denied');
    expect(denied.body.permission).toBe('finance.cost-centre:change-cap');

    const ok = await app.http.patch(`${CC}/${centre.id}`).set(people.finance.auth).set('if-match', '"2"').send({ capMinor: 20_000 });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ capMinor: 20_000, warningLineMinor: 8_000, availableMinor: 20_000, version: 3 });
    const [entry] = await app.sql<{ actor_user_id: string; changes: unknown }>(
      `SELECT actor_user_id, changes FROM platform.audit_entries WHERE record_type = 'finance.cost-centre' AND record_id = $1 AND action = 'change-cap'`, [centre.id]);
    expect(entry.actor_user_id).toBe(people.finance.id);
    expect(JSON.stringify(entry.changes)).toContain('20000');
    expect((await published(app, 'finance.cost-centre.cap-changed')).filter((e) => e.aggregateId === centre.id)).toEqual([
      expect.objectContaining({ payload: expect.objectContaining({ previousCapMinor: 10_000, capMinor: 20_000 }) }),
    ]);
  });

  it('refuses a cap below spent + reserved (422) and a stale If-Match (412)', async () => {
    const centre = await f.centre({ ownerId: people.alice.id });
    await f.submitted(people.alice, centre.id, [3_000]);
    const res = await app.http.patch(`${CC}/${centre.id}`).set(people.finance.auth).send({ capMinor: 2_999, warningLineMinor: 2_000 });
    expectProblem(res, 422, 'finance.cost-centre.cap-below-committed');
    expect(res.body.committedMinor).toBe(3_000);
    expectProblem(await app.http.patch(`${CC}/${centre.id}`).set(people.finance.auth).set('if-match', '"1"').send({ name: 'late' }), 412, 'stale-version');
  });

  it('lowering the warning line under the spending flags the centre and reports the crossing', async () => {
    const centre = await f.centre({ ownerId: people.alice.id });
    await f.submitted(people.alice, centre.id, [5_000]);
    const res = await app.http.patch(`${CC}/${centre.id}`).set(people.finance.auth).send({ warningLineMinor: 4_000 });
    expect(res.body.status).toBe('warning');
    expect((await published(app, 'finance.cost-centre.warning-line-reached')).filter((e) => e.aggregateId === centre.id)).toHaveLength(1);
  });

  it('a closed centre takes no new reservations (422) and no changes (409)', async () => {
    const centre = await f.centre({ ownerId: people.alice.id });
    const claim = await f.claim(people.alice, centre.id, [10]);
    expect((await app.http.post(`${CC}/${centre.id}/close`).set(people.finance.auth)).body.status).toBe('closed');
    expectProblem(await app.http.post(`/api/v1/finance/expense-claims/${claim.id}/submit`).set(people.alice.auth), 422, 'finance.cost-centre.closed');
    expectProblem(await app.http.patch(`${CC}/${centre.id}`).set(people.finance.auth).send({ name: 'x' }), 409, 'finance.cost-centre.closed');
  });
});

describe('opened by events of other contexts', () => {
  it('opens a centre on sales.opportunity.created (Finance half; owner, currency from the payload), once', async () => {
    const opportunityId = randomUUID();
    await f.publish('sales.opportunity.created', 'sales.opportunity', opportunityId, { opportunityId, name: 'Big deal', ownerId: people.alice.id, amountMinor: 9_000_000, currency: 'USD' });
    const list = await app.http.get(CC).query({ subjectType: 'sales.opportunity', subjectId: opportunityId }).set(people.finance.auth).expect(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ name: 'Opportunity: Big deal', ownerId: people.alice.id, currency: 'USD', capMinor: 1_000_000, warningLineMinor: 800_000, openedBy: 'event' }),
    ]);
    // The owner sees it in their own scope.
    expect((await app.http.get(CC).set(people.alice.auth)).body.items.map((c: { subjectId: string }) => c.subjectId)).toContain(opportunityId);
    await f.publish('sales.opportunity.created', 'sales.opportunity', opportunityId, { name: 'Big deal again' });
    expect(await app.sql(`SELECT count(*)::int AS n FROM finance.cost_centre WHERE subject_id = $1`, [opportunityId])).toEqual([{ n: 1 }]);
  });

  it('takes the cap from a campaign’s or project’s budget', async () => {
    const campaignId = randomUUID();
    const projectId = randomUUID();
    await f.publish('marketing.campaign.created', 'marketing.campaign', campaignId, { campaignId, name: 'Spring fair', budgetMinor: 200_000, currency: 'CNY' });
    await f.publish('service.project.created', 'service.project', projectId, { projectId, name: 'Roll-out', budgetMinor: 50_000 });
    const rows = await app.sql(`SELECT subject_type, cap_minor::int AS cap, warning_line_minor::int AS warning FROM finance.cost_centre WHERE subject_id IN ($1, $2) ORDER BY subject_type`, [campaignId, projectId]);
    expect(rows).toEqual([
      { subject_type: 'marketing.campaign', cap: 200_000, warning: 160_000 },
      { subject_type: 'service.project', cap: 50_000, warning: 40_000 },
    ]);
  });

  it('opening on opportunities can be switched off', async () => {
    const rules = await app.http.get('/api/v1/finance/auto-open-rules').set(people.finance.auth).expect(200);
    const rule = rules.body.items.find((r: { subjectType: string }) => r.subjectType === 'sales.opportunity');
    expect(rule).toMatchObject({ enabled: true });
    const off = await app.http.put('/api/v1/finance/auto-open-rules/sales.opportunity').set(people.finance.auth).set('if-match', `"${rule.version}"`)
      .send({ enabled: false, defaultCapMinor: 1_000_000, warningLinePct: 80, defaultCurrency: 'CNY' });
    expect(off.status).toBe(200);
    expectProblem(await app.http.put('/api/v1/finance/auto-open-rules/sales.opportunity').set(people.alice.auth).send({ enabled: true, defaultCapMinor: 1, warningLinePct: 80, defaultCurrency: 'CNY' }), 403);
    const opportunityId = randomUUID();
    await f.publish('sales.opportunity.created', 'sales.opportunity', opportunityId, { name: 'Quiet deal' });
    expect(await app.sql(`SELECT count(*)::int AS n FROM finance.cost_centre WHERE subject_id = $1`, [opportunityId])).toEqual([{ n: 0 }]);
    await app.http.put('/api/v1/finance/auto-open-rules/sales.opportunity').set(people.finance.auth).send({ enabled: true, defaultCapMinor: 1_000_000, warningLinePct: 80, defaultCurrency: 'CNY' }).expect(200);
  });
});

describe('incomes', () => {
  it('records an income on the centre’s ledger without touching the cap', async () => {
    const centre = await f.centre();
    const res = await app.http.post('/api/v1/finance/incomes').set(people.finance.auth)
      .send({ costCentreId: centre.id, amountMinor: 7_000, currency: 'CNY', receivedOn: '2026-03-15', source: 'Customer payment' });
    expect(res.status).toBe(201);
    expect(res.body.code).toMatch(/^INC-/);
    expect(await f.figures(centre.id)).toMatchObject({ availableMinor: 10_000, incomeMinor: 7_000 });
    expect(await f.ledgerSums(centre.id)).toMatchObject({ income: 7_000, n: 1 });
    const list = await app.http.get('/api/v1/finance/incomes').query({ costCentreId: centre.id }).set(people.finance.auth).expect(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([res.body.id]);
    expectProblem(await app.http.post('/api/v1/finance/incomes').set(people.alice.auth).send({ costCentreId: centre.id, amountMinor: 1, currency: 'CNY', receivedOn: '2026-03-15', source: 'x' }), 403);
    expectProblem(await app.http.post('/api/v1/finance/incomes').set(authHeader(people.finance.token)).send({ costCentreId: centre.id, amountMinor: 1, currency: 'EUR', receivedOn: '2026-03-15', source: 'x' }), 422, 'finance.currency-mismatch');
  });
});
