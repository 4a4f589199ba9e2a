import { drainEvents, published } from '../support/events';
import { authHeader, type FixtureUser } from '../support/identity';
import { eventually, expectProblem, type TestApp } from '../support/test-app';
import { ok, publishForeignEvent, salesFixtures, STAGES, startSalesApp } from './given';

let app: TestApp;
let given: ReturnType<typeof salesFixtures>;
let admin: { auth: { authorization: string } };
let manager: FixtureUser;
let rep: FixtureUser;
let otherRep: FixtureUser;
let finance: FixtureUser;
let method: { id: string };
let account: { id: string };

const opportunities = '/api/v1/sales/opportunities';

beforeAll(async () => {
  app = await startSalesApp();
  given = salesFixtures(app);
  admin = { auth: authHeader(await given.identity.adminToken()) };
  const team = await given.team(2);
  ({ manager } = team);
  [rep, otherRep] = team.reps;
  finance = await given.identity.user({ roles: ['finance'] });
  method = await given.method(admin, { isDefault: true });
  account = await given.account(rep);
});
afterAll(() => app?.close());

describe('sales methods', () => {
  it('creates a method with ordered stages that can take over as the default from the seeded one', async () => {
    const list = ok(await app.http.get('/api/v1/sales/sales-methods').set(rep.auth), 200);
    expect(list.items).toHaveLength(2);
    expect(list.items).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'Standard', isDefault: false }),
      expect.objectContaining({ id: method.id, isDefault: true, stages: STAGES.map((s) => expect.objectContaining({ key: s.key, order: s.order, probability: s.probability, terminal: s.terminal })) }),
    ]));
  });

  it('refuses malformed stage sets with 400 naming each problem, and 403 without permission', async () => {
    const res = await app.http.post('/api/v1/sales/sales-methods').set(admin.auth).send({ name: 'Bad', stages: [STAGES[0], STAGES[0], { ...STAGES[3], probability: 90 }] });
    expectProblem(res, 400, 'validation-failed');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['stages[1].key', 'stages[2].probability', 'stages']));
    expectProblem(await app.http.post('/api/v1/sales/sales-methods').set(finance.auth).send({ name: 'x', stages: STAGES }), 403);
  });
});

describe('opportunities', () => {
  it('creates at the first stage of the default method with its probability; publishes created', async () => {
    const res = await app.http.post(opportunities).set(rep.auth).send({ name: 'Big deal', accountId: account.id, amountMinor: 1_000_000, currency: 'EUR', closeDate: '2026-06-30' }).expect(201);
    expect(res.body).toMatchObject({ salesMethodId: method.id, stageKey: 'qualify', probability: 10, status: 'open', ownerId: rep.id });
    const event = (await published(app, 'sales.opportunity.created')).find((e) => e.aggregateId === res.body.id);
    expect(event?.payload).toMatchObject({ opportunityId: res.body.id, accountId: account.id, amountMinor: 1_000_000, currency: 'EUR', stageKey: 'qualify', probability: 10, closeDate: '2026-06-30' });
  });

  it('shows an opportunity the same in the POST answer, GET and the list', async () => {
    const created = await app.http
      .post(opportunities)
      .set(rep.auth)
      .send({ name: 'Same everywhere', accountId: account.id, amountMinor: 12_345_678_901, currency: 'EUR', closeDate: '2029-01-31', nextStep: 'Call "the CFO"', customFields: { region: 'EMEA' } })
      .expect(201);
    const got = await app.http.get(`${opportunities}/${created.body.id}`).set(rep.auth).expect(200);
    expect(got.body).toEqual(created.body);
    expect(got.headers.etag).toBe('"1"');
    const listed = await app.http.get(opportunities).set(rep.auth).query({ accountId: account.id, limit: 500 }).expect(200);
    expect(listed.body.items.find((o: { id: string }) => o.id === created.body.id)).toEqual(created.body);
  });

  it('validates (400), scopes (404; 422 for a body reference), permissions (403), If-Match (412), Idempotency-Key', async () => {
    const bad = await app.http.post(opportunities).set(rep.auth).send({ name: '', accountId: 'x', amountMinor: 1.5, currency: 'eur', closeDate: '31.12.2026', stageKey: 'won' });
    expectProblem(bad, 400);
    expect(new Set(bad.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['name', 'accountId', 'amountMinor', 'currency', 'closeDate', 'stageKey']));
    const hiddenAccount = await given.account(otherRep);
    expectProblem(await app.http.post(opportunities).set(rep.auth).send({ name: 'x', accountId: hiddenAccount.id, amountMinor: 1, currency: 'EUR', closeDate: '2026-01-01' }), 422, 'sales.account.unknown');
    const opp = await given.opportunity(rep, account.id);
    expectProblem(await app.http.get(`${opportunities}/${opp.id}`).set(otherRep.auth), 404);
    expectProblem(await app.http.post(`${opportunities}/${opp.id}/win`).set(otherRep.auth), 404);
    expectProblem(await app.http.post(`${opportunities}/${opp.id}/win`).set(finance.auth), 403);
    await app.http.patch(`${opportunities}/${opp.id}`).set(rep.auth).set('if-match', '"1"').send({ amountMinor: 200_000, nextStep: 'Call CFO' }).expect(200);
    expectProblem(await app.http.post(`${opportunities}/${opp.id}/stage`).set(rep.auth).set('if-match', '"1"').send({ stageKey: 'propose' }), 412);
    const body = { name: given.unique('Idem deal'), accountId: account.id, amountMinor: 5, currency: 'USD', closeDate: '2026-01-01' };
    const a = await app.http.post(opportunities).set(rep.auth).set('idempotency-key', 'opp-1').send(body).expect(201);
    const b = await app.http.post(opportunities).set(rep.auth).set('idempotency-key', 'opp-1').send(body).expect(201);
    expect(b.body.id).toBe(a.body.id);
  });

  it('moves through stages by the method’s rules and keeps the stage history', async () => {
    const opp = await given.opportunity(rep, account.id);
    const moved = ok(await app.http.post(`${opportunities}/${opp.id}/stage`).set(rep.auth).send({ stageKey: 'negotiate' }), 200);
    expect(moved).toMatchObject({ stageKey: 'negotiate', probability: 70 });
    expectProblem(await app.http.post(`${opportunities}/${opp.id}/stage`).set(rep.auth).send({ stageKey: 'negotiate' }), 409, 'sales.opportunity.illegal-stage-transition');
    expectProblem(await app.http.post(`${opportunities}/${opp.id}/stage`).set(rep.auth).send({ stageKey: 'won' }), 409, 'sales.opportunity.terminal-stage-needs-outcome');
    expectProblem(await app.http.post(`${opportunities}/${opp.id}/stage`).set(rep.auth).send({ stageKey: 'nope' }), 422, 'sales.opportunity.unknown-stage');
    const changed = (await published(app, 'sales.opportunity.stage-changed')).find((e) => e.aggregateId === opp.id);
    expect(changed?.payload).toEqual({ opportunityId: opp.id, fromStageKey: 'qualify', toStageKey: 'negotiate', probability: 70, daysInStage: expect.any(Number) });
    const lost = ok(await app.http.post(`${opportunities}/${opp.id}/lose`).set(rep.auth).send({ reason: 'Price' }), 200);
    expect(lost).toMatchObject({ status: 'lost', stageKey: 'lost', probability: 0, lossReason: 'Price' });
    expectProblem(await app.http.post(`${opportunities}/${opp.id}/win`).set(rep.auth), 409, 'sales.opportunity.closed');
    expectProblem(await app.http.patch(`${opportunities}/${opp.id}`).set(rep.auth).send({ amountMinor: 1 }), 409, 'sales.opportunity.closed');
    const reopened = ok(await app.http.post(`${opportunities}/${opp.id}/reopen`).set(rep.auth).send({}), 200);
    expect(reopened).toMatchObject({ status: 'open', stageKey: 'negotiate', lossReason: null });
    const won = ok(await app.http.post(`${opportunities}/${opp.id}/win`).set(rep.auth), 200);
    expect(won).toMatchObject({ status: 'won', stageKey: 'won', probability: 100 });
    expectProblem(await app.http.post(`${opportunities}/${opp.id}/reopen`).set(rep.auth).send({}), 409, 'sales.opportunity.not-lost');
    const history = ok(await app.http.get(`${opportunities}/${opp.id}/stage-history`).set(rep.auth), 200);
    expect(history.items.map((h: { fromStageKey: string | null; toStageKey: string }) => [h.fromStageKey, h.toStageKey])).toEqual([
      [null, 'qualify'], ['qualify', 'negotiate'], ['negotiate', 'lost'], ['lost', 'negotiate'], ['negotiate', 'won'],
    ]);
    expect(history.items.every((h: { changedBy: string; daysInStage: number }) => h.changedBy === rep.id && h.daysInStage >= 0)).toBe(true);
    const wonEvent = (await published(app, 'sales.opportunity.won')).find((e) => e.aggregateId === opp.id);
    expect(wonEvent?.payload).toMatchObject({ opportunityId: opp.id, accountId: account.id, amountMinor: 100_000, currency: 'EUR', ownerId: rep.id });
    const lostEvent = (await published(app, 'sales.opportunity.lost')).find((e) => e.aggregateId === opp.id);
    expect(lostEvent?.payload).toMatchObject({ reason: 'Price' });
  });

  it('on a strict method forward moves go one stage at a time', async () => {
    const strict = await given.method(admin, { strictOrder: true });
    const opp = await given.opportunity(rep, account.id, { salesMethodId: strict.id });
    const res = await app.http.post(`${opportunities}/${opp.id}/stage`).set(rep.auth).send({ stageKey: 'negotiate' });
    expectProblem(res, 409, 'sales.opportunity.illegal-stage-transition');
    expect(res.body.allowed).toEqual(['propose']);
    await app.http.post(`${opportunities}/${opp.id}/stage`).set(rep.auth).send({ stageKey: 'propose' }).expect(200);
  });

  it('on a strict method a win from an early stage skips stages: 409 with the stage-rule code, nothing changed; from the last open stage it wins', async () => {
    const strict = await given.method(admin, { strictOrder: true });
    const opp = await given.opportunity(rep, account.id, { salesMethodId: strict.id });
    const early = await app.http.post(`${opportunities}/${opp.id}/win`).set(rep.auth);
    expectProblem(early, 409, 'sales.opportunity.illegal-stage-transition');
    expect(early.body).toMatchObject({ from: 'qualify', to: 'won', allowed: ['propose'] });
    await app.http.post(`${opportunities}/${opp.id}/stage`).set(rep.auth).send({ stageKey: 'propose' }).expect(200);
    expectProblem(await app.http.post(`${opportunities}/${opp.id}/win`).set(rep.auth), 409, 'sales.opportunity.illegal-stage-transition');
    expect(ok(await app.http.get(`${opportunities}/${opp.id}`).set(rep.auth), 200)).toMatchObject({ status: 'open', stageKey: 'propose', version: 2 });
    await app.http.post(`${opportunities}/${opp.id}/stage`).set(rep.auth).send({ stageKey: 'negotiate' }).expect(200);
    expect(ok(await app.http.post(`${opportunities}/${opp.id}/win`).set(rep.auth), 200)).toMatchObject({ status: 'won', stageKey: 'won' });
    // Losing skips nothing: allowed from any open stage.
    const other = await given.opportunity(rep, account.id, { salesMethodId: strict.id });
    expect(ok(await app.http.post(`${opportunities}/${other.id}/lose`).set(rep.auth).send({ reason: 'Timing' }), 200)).toMatchObject({ status: 'lost' });
  });

  it('keeps competitors (with strengths/weaknesses) and contact roles (role + attitude)', async () => {
    const opp = await given.opportunity(rep, account.id);
    const competitor = ok(await app.http.post('/api/v1/sales/competitors').set(rep.auth).send({ name: given.unique('Initech'), strengths: 'Price' }));
    ok(await app.http.post(`${opportunities}/${opp.id}/competitors`).set(rep.auth).send({ competitorId: competitor.id, strengths: 'Cheaper', weaknesses: 'No support' }));
    expect(ok(await app.http.get(`${opportunities}/${opp.id}/competitors`).set(rep.auth), 200).items).toEqual([
      { competitorId: competitor.id, name: competitor.name, strengths: 'Cheaper', weaknesses: 'No support' },
    ]);
    const contact = await given.contact(rep, account.id);
    ok(await app.http.post(`${opportunities}/${opp.id}/contact-roles`).set(rep.auth).send({ contactId: contact.id, role: 'decision-maker', attitude: 'supporter' }));
    expectProblem(await app.http.post(`${opportunities}/${opp.id}/contact-roles`).set(rep.auth).send({ contactId: contact.id, role: 'boss', attitude: 'happy' }), 400);
    const elsewhere = await given.contact(rep, (await given.account(rep)).id);
    expectProblem(await app.http.post(`${opportunities}/${opp.id}/contact-roles`).set(rep.auth).send({ contactId: elsewhere.id, role: 'user', attitude: 'neutral' }), 422, 'sales.opportunity.contact-not-at-account');
    expect(ok(await app.http.get(`${opportunities}/${opp.id}/contact-roles`).set(rep.auth), 200).items).toEqual([{ contactId: contact.id, role: 'decision-maker', attitude: 'supporter', note: null }]);
    await app.http.delete(`${opportunities}/${opp.id}/contact-roles/${contact.id}`).set(rep.auth).expect(204);
    await app.http.delete(`${opportunities}/${opp.id}/competitors/${competitor.id}`).set(rep.auth).expect(204);
    expectProblem(await app.http.delete(`${opportunities}/${opp.id}/competitors/${competitor.id}`).set(rep.auth), 404);
    expectProblem(await app.http.get(`${opportunities}/${opp.id}/competitors`).set(otherRep.auth), 404);
  });
});

describe('pipeline', () => {
  it('sums count, amount and weighted amount per stage in SQL, within scope and filters', async () => {
    const own = await given.account(otherRep);
    const acc = await given.account(manager, { ownerId: otherRep.id });
    await given.opportunity(otherRep, own.id, { amountMinor: 1000, closeDate: '2027-02-01' });
    const b = await given.opportunity(otherRep, own.id, { amountMinor: 3000, closeDate: '2027-02-15' });
    await app.http.post(`${opportunities}/${b.id}/stage`).set(otherRep.auth).send({ stageKey: 'propose' }).expect(200);
    await given.opportunity(otherRep, acc.id, { amountMinor: 7777, closeDate: '2027-02-20', currency: 'USD' });
    await given.opportunity(otherRep, acc.id, { amountMinor: 5000, closeDate: '2028-01-01' });
    const res = ok(await app.http.get('/api/v1/sales/pipeline').set(otherRep.auth).query({ closeFrom: '2027-01-01', closeTo: '2027-12-31', currency: 'EUR' }), 200);
    expect(res).toMatchObject({ salesMethodId: method.id, currency: 'EUR' });
    const byKey = Object.fromEntries(res.stages.map((s: { stageKey: string }) => [s.stageKey, s]));
    expect(Object.keys(byKey)).toEqual(['qualify', 'propose', 'negotiate', 'won', 'lost']);
    expect(byKey.qualify).toMatchObject({ count: 1, amountMinor: 1000, weightedAmountMinor: 100 });
    expect(byKey.propose).toMatchObject({ count: 1, amountMinor: 3000, weightedAmountMinor: 1200 });
    expect(byKey.negotiate).toMatchObject({ count: 0, amountMinor: 0, weightedAmountMinor: 0 });
    // rep sees none of otherRep's deals; the manager sees the team's, filterable by owner.
    const repView = ok(await app.http.get('/api/v1/sales/pipeline').set(rep.auth).query({ closeFrom: '2027-01-01', closeTo: '2027-12-31' }), 200);
    expect(repView.stages.reduce((n: number, s: { count: number }) => n + s.count, 0)).toBe(0);
    const managerView = ok(await app.http.get('/api/v1/sales/pipeline').set(manager.auth).query({ ownerId: otherRep.id, closeFrom: '2027-01-01', closeTo: '2027-12-31' }), 200);
    expect(managerView.stages.map((s: { count: number }) => s.count)).toEqual([1, 1, 0, 0, 0]);
    expectProblem(await app.http.get('/api/v1/sales/pipeline').set(rep.auth).query({ closeFrom: 'soon' }), 400);
  });
});

describe('consumed events', () => {
  it('creates an opportunity from workflow.automation.opportunity-requested, owned by the account owner, once', async () => {
    const eventId = await publishForeignEvent(app, 'workflow.automation.opportunity-requested', { accountId: account.id, name: 'Automated upsell', amountMinor: 42_000, currency: 'EUR', sourceEventId: '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3f' });
    await drainEvents(app);
    const rows = await eventually(async () => {
      const found = await app.sql(`SELECT name, owner_id, amount_minor, stage_key, source FROM sales.opportunity WHERE source_event_id = $1`, [eventId]);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(rows[0]).toEqual({ name: 'Automated upsell', owner_id: rep.id, amount_minor: '42000', stage_key: 'qualify', source: 'automation' });
  });
});
