import { published } from '../support/events';
import { expectProblem, startTestApp, type TestApp } from '../support/test-app';
import { ADVANCES, CLAIMS, financeFixtures } from './finance-fixtures';

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

const RECON = '/api/v1/finance/reconciliations';

describe('advances', () => {
  it('request → submit (reserved) → approved → paid by finance (posted); an employee does not pay', async () => {
    const centre = await f.centre({ ownerId: people.alice.id, capMinor: 100_000, warningLineMinor: 90_000 });
    const created = await app.http.post(ADVANCES).set(people.alice.auth).send({ costCentreId: centre.id, amountMinor: 5_000, currency: 'CNY', purpose: 'Site trip' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', code: expect.stringMatching(/^ADV-\d{4}-\d{6}$/), ownerId: people.alice.id });
    const id = created.body.id;
    expectProblem(await app.http.post(`${ADVANCES}/${id}/pay`).set(people.finance.auth), 409, 'finance.advance.illegal-transition');

    expect((await app.http.post(`${ADVANCES}/${id}/submit`).set(people.alice.auth)).body.status).toBe('submitted');
    expect(await f.figures(centre.id)).toMatchObject({ reservedMinor: 5_000 });
    expect(await published(app, 'finance.advance.approval-requested')).toEqual([
      expect.objectContaining({ aggregateId: id, payload: expect.objectContaining({ subjectType: 'finance.advance', amountMinor: 5_000, requesterId: people.alice.id }) }),
    ]);

    await f.decide('finance.advance', id, 'approved', people.manager.id);
    expect((await app.http.get(`${ADVANCES}/${id}`).set(people.alice.auth)).body).toMatchObject({ status: 'approved', decidedBy: people.manager.id });
    expect(await f.figures(centre.id)).toMatchObject({ reservedMinor: 5_000, spentMinor: 0 });

    // Segregation of duties: paying is finance's; an employee no longer holds finance.advance:pay
    // (nobody pays their own advance even holding it: finance-security.e2e-spec.ts).
    expectProblem(await app.http.post(`${ADVANCES}/${id}/pay`).set(people.alice.auth), 403, 'permission-denied');
    expectProblem(await app.http.post(`${ADVANCES}/${id}/pay`).set(people.stranger.auth), 403, 'permission-denied');
    const paid = await app.http.post(`${ADVANCES}/${id}/pay`).set(people.finance.auth).send({ paymentRef: 'BANK-1' });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'paid', paidBy: people.finance.id, paymentRef: 'BANK-1' });
    expect(await f.figures(centre.id)).toMatchObject({ reservedMinor: 0, spentMinor: 5_000 });
    expect(await f.ledgerSums(centre.id)).toMatchObject({ reserved: 0, spent: 5_000 });
    expect((await published(app, 'finance.advance.paid')).map((e) => e.aggregateId)).toEqual([id]);
  });

  it('rejection and recall release the reservation; the cap applies to advances too', async () => {
    const centre = await f.centre({ ownerId: people.bob.id, capMinor: 1_000, warningLineMinor: 800 });
    const create = async (amountMinor: number) =>
      (await app.http.post(ADVANCES).set(people.bob.auth).send({ costCentreId: centre.id, amountMinor, currency: 'CNY', purpose: 'x' })).body.id as string;
    const a = await create(600);
    const b = await create(600);
    await app.http.post(`${ADVANCES}/${a}/submit`).set(people.bob.auth).expect(200);
    const refused = await app.http.post(`${ADVANCES}/${b}/submit`).set(people.bob.auth);
    expectProblem(refused, 422, 'cost-centre-cap-exceeded');
    expect(refused.body.availableMinor).toBe(400);
    await f.decide('finance.advance', a, 'rejected', people.manager.id);
    expect(await f.figures(centre.id)).toMatchObject({ reservedMinor: 0 });
    await app.http.post(`${ADVANCES}/${b}/submit`).set(people.bob.auth).expect(200);
    expect((await app.http.post(`${ADVANCES}/${b}/recall`).set(people.bob.auth)).body.status).toBe('recalled');
    expect(await f.figures(centre.id)).toMatchObject({ reservedMinor: 0, spentMinor: 0 });
    expect((await published(app, 'finance.advance.approval-withdrawn')).map((e) => e.aggregateId)).toEqual([b]);
  });
});

describe('personal reconciliation', () => {
  it('worked example: advance 5,000, reimbursements 3,200 → the employee returns 1,800; settling squares it', async () => {
    const centre = await f.centre({ ownerId: people.bob.id, capMinor: 100_000, warningLineMinor: 90_000 });
    const other = await f.centre({ ownerId: people.bob.id, capMinor: 100_000, warningLineMinor: 90_000 });
    const advance = (await app.http.post(ADVANCES).set(people.bob.auth).send({ costCentreId: centre.id, amountMinor: 5_000, currency: 'CNY', purpose: 'Project trip' })).body;
    await app.http.post(`${ADVANCES}/${advance.id}/submit`).set(people.bob.auth).expect(200);
    await f.decide('finance.advance', advance.id, 'approved', people.manager.id);
    await app.http.post(`${ADVANCES}/${advance.id}/pay`).set(people.finance.auth).expect(200);
    const r1 = await f.submitted(people.bob, centre.id, [1_500, 500]);
    const r2 = await f.submitted(people.bob, centre.id, [1_200]);
    await f.decide('finance.expense-claim', r1.id, 'approved', people.manager.id);
    await f.decide('finance.expense-claim', r2.id, 'approved', people.manager.id);
    // Not counted: a request (not a reimbursement), a pending reimbursement, another centre's claim when filtering.
    const request = await f.submitted(people.bob, centre.id, [999], { kind: 'request' });
    await f.decide('finance.expense-claim', request.id, 'approved', people.manager.id);
    await f.submitted(people.bob, centre.id, [777]);
    const elsewhere = await f.submitted(people.bob, other.id, [100]);
    await f.decide('finance.expense-claim', elsewhere.id, 'approved', people.manager.id);

    const res = await app.http.get(`${RECON}/${people.bob.id}`).query({ costCentreId: centre.id }).set(people.bob.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      userId: people.bob.id, costCentreId: centre.id, currency: 'CNY',
      advancesPaidMinor: 5_000, reimbursementsApprovedMinor: 3_200, balanceMinor: 1_800, outcome: 'employee-returns',
    });
    expect(res.body.lines.map((l: { type: string; effectMinor: number }) => [l.type, l.effectMinor])).toEqual([
      ['advance-paid', 5_000],
      ['reimbursement-approved', -2_000],
      ['reimbursement-approved', -1_200],
    ]);
    expect(res.body.lines.at(-1).balanceAfterMinor).toBe(1_800);
    // Across all centres the other centre's reimbursement counts too.
    expect((await app.http.get(`${RECON}/${people.bob.id}`).set(people.finance.auth)).body.balanceMinor).toBe(1_700);

    expectProblem(await app.http.post(`${RECON}/${people.bob.id}/settlements`).set(people.bob.auth).send({ costCentreId: centre.id, currency: 'CNY', direction: 'employee-returns', amountMinor: 1_800 }), 403);
    expectProblem(await app.http.post(`${RECON}/${people.bob.id}/settlements`).set(people.finance.auth).send({ costCentreId: centre.id, currency: 'CNY', direction: 'company-pays', amountMinor: 100 }), 422, 'finance.reconciliation.wrong-direction');
    expectProblem(await app.http.post(`${RECON}/${people.bob.id}/settlements`).set(people.finance.auth).send({ costCentreId: centre.id, currency: 'CNY', direction: 'employee-returns', amountMinor: 1_801 }), 422, 'finance.reconciliation.settlement-exceeds-balance');
    const settled = await app.http.post(`${RECON}/${people.bob.id}/settlements`).set(people.finance.auth)
      .send({ costCentreId: centre.id, currency: 'CNY', direction: 'employee-returns', amountMinor: 1_800, reference: 'BANK-RET-1' });
    expect(settled.status).toBe(201);
    expect(settled.body.reconciliation).toMatchObject({ balanceMinor: 0, outcome: 'settled', returnedByEmployeeMinor: 1_800 });
    expect((await published(app, 'finance.settlement.recorded')).map((e) => e.payload)).toEqual([expect.objectContaining({ userId: people.bob.id, amountMinor: 1_800 })]);
    expectProblem(await app.http.post(`${RECON}/${people.bob.id}/settlements`).set(people.finance.auth).send({ costCentreId: centre.id, currency: 'CNY', direction: 'employee-returns', amountMinor: 1 }), 422, 'finance.reconciliation.nothing-to-settle');
  });

  it('is visible to the employee, their manager and finance; not to a colleague in another unit (404)', async () => {
    await app.http.get(`${RECON}/${people.alice.id}`).set(people.alice.auth).expect(200);
    await app.http.get(`${RECON}/${people.alice.id}`).set(people.manager.auth).expect(200);
    await app.http.get(`${RECON}/${people.alice.id}`).set(people.finance.auth).expect(200);
    expectProblem(await app.http.get(`${RECON}/${people.alice.id}`).set(people.stranger.auth), 404);
    expectProblem(await app.http.get(`${RECON}/${people.alice.id}`).set(people.bob.auth), 404);
  });
});

describe('spend report', () => {
  it('sums posted spending per centre by category and month vs the cap (SQL aggregate over the ledger)', async () => {
    const centre = await f.centre({ ownerId: people.alice.id, capMinor: 20_000, warningLineMinor: 16_000 });
    const c1 = await f.submitted(people.alice, centre.id, [1_000, 200], {
      lines: [
        { category: 'travel', date: '2026-03-05', amountMinor: 1_000 },
        { category: 'meals', date: '2026-03-06', amountMinor: 200 },
        { category: 'travel', date: '2026-04-01', amountMinor: 3_000 },
      ],
    });
    await f.decide('finance.expense-claim', c1.id, 'approved', people.manager.id);
    await f.submitted(people.alice, centre.id, [500]); // reserved only: not spending
    const res = await app.http.get('/api/v1/finance/reports/spend').query({ costCentreId: centre.id }).set(people.finance.auth);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        costCentreId: centre.id, capMinor: 20_000, spentMinor: 4_200, reservedMinor: 500, availableMinor: 15_300, periodSpentMinor: 4_200, utilisationPct: 21,
        cells: [
          { month: '2026-03', category: 'meals', spentMinor: 200 },
          { month: '2026-03', category: 'travel', spentMinor: 1_000 },
          { month: '2026-04', category: 'travel', spentMinor: 3_000 },
        ],
      }),
    ]);
    const march = await app.http.get('/api/v1/finance/reports/spend').query({ costCentreId: centre.id, from: '2026-03', to: '2026-03' }).set(people.finance.auth);
    expect(march.body.items[0]).toMatchObject({ periodSpentMinor: 1_200 });
    expectProblem(await app.http.get('/api/v1/finance/reports/spend').set(people.alice.auth), 403);
  });
});

describe('claims and the ledger stay consistent', () => {
  it('every centre’s spent/reserved equal the sums of its ledger', async () => {
    const rows = await app.sql(`
      SELECT c.id FROM finance.cost_centre c
        LEFT JOIN (SELECT cost_centre_id, sum(reserved_delta_minor) r, sum(spent_delta_minor) s, sum(income_delta_minor) i FROM finance.ledger_entry GROUP BY 1) l
          ON l.cost_centre_id = c.id
       WHERE c.reserved_minor <> coalesce(l.r, 0) OR c.spent_minor <> coalesce(l.s, 0) OR c.income_minor <> coalesce(l.i, 0)`);
    expect(rows).toEqual([]);
    expect((await app.sql(`SELECT count(*)::int AS n FROM finance.cost_centre`))[0].n).toBeGreaterThan(3);
    const claims = await app.http.get(CLAIMS).query({ status: 'posted' }).set(people.finance.auth).expect(200);
    expect(claims.body.items.length).toBeGreaterThan(0);
  });
});
