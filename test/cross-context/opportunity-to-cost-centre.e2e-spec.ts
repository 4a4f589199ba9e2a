import { salesFixtures } from '../sales/given';
import { drainEvents, published } from '../support/events';
import { identityFixtures } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Contexts meet only through events: an opportunity created through Sales' HTTP API opens a
 * cost centre in Finance (consumer of `sales.opportunity.created`), which then reserves an
 * expense claim against it — all over HTTP, with the real dispatcher (workers on).
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

it('opens a cost centre for a new opportunity, once, and lets its owner claim expenses against it', async () => {
  const sales = salesFixtures(app);
  const identity = identityFixtures(app);
  const admin = { auth: { authorization: `Bearer ${await identity.adminToken()}` } };
  const team = await identity.orgUnit({ type: 'team' });
  const rep = await identity.user({ roles: ['sales-rep'], orgUnitId: team.id });

  await sales.method(admin);
  const account = await sales.account(rep);
  const opportunity = await sales.opportunity(rep, account.id, { amountMinor: 2_500_000, currency: 'EUR' });
  const [created] = await published(app, 'sales.opportunity.created');
  expect(created).toMatchObject({ aggregateId: opportunity.id, actorId: rep.id, payload: expect.objectContaining({ opportunityId: opportunity.id }) });

  await drainEvents(app);
  const centres = await app.http
    .get('/api/v1/finance/cost-centres')
    .query({ subjectType: 'sales.opportunity', subjectId: opportunity.id })
    .set(admin.auth)
    .expect(200);
  expect(centres.body.items).toHaveLength(1);
  const centre = centres.body.items[0];
  expect(centre).toMatchObject({ subjectId: opportunity.id, ownerId: rep.id, status: 'ok', spentMinor: 0, reservedMinor: 0 });
  expect((await published(app, 'finance.cost-centre.opened')).map((e) => e.payload)).toEqual([expect.objectContaining({ subjectId: opportunity.id })]);

  // Redelivering the same event (replay, retry) opens nothing more.
  await drainEvents(app);
  const again = await app.http.get('/api/v1/finance/cost-centres').query({ subjectId: opportunity.id }).set(admin.auth).expect(200);
  expect(again.body.items).toHaveLength(1);

  // The rep can claim an expense against the opportunity's centre: submitting reserves it.
  const claim = await app.http
    .post('/api/v1/finance/expense-claims')
    .set(rep.auth)
    .send({
      kind: 'reimbursement',
      costCentreId: centre.id,
      title: 'Client dinner',
      currency: centre.currency,
      lines: [{ category: 'meals', date: '2026-11-20', amountMinor: 12_000, description: 'Dinner', receiptRef: 'R-1' }],
    })
    .expect(201);
  await app.http.post(`/api/v1/finance/expense-claims/${claim.body.id}/submit`).set(rep.auth).expect(200);
  const after = await app.http.get(`/api/v1/finance/cost-centres/${centre.id}`).set(admin.auth).expect(200);
  expect(after.body).toMatchObject({ reservedMinor: 12_000, availableMinor: centre.capMinor - 12_000 });
});
