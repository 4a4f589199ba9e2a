import { Clock } from '../../src/platform/scheduling/clock';
import { SchedulerTestHook } from '../../src/platform/scheduling/scheduler-test-hook';
import { hasRealPostgres } from '../support/database';
import { drainEvents, published } from '../support/events';
import { authHeader, type FixtureUser } from '../support/identity';
import { eventually, expectProblem, type TestApp } from '../support/test-app';
import { ok, publishForeignEvent, salesFixtures, startSalesApp } from './given';

let app: TestApp;
let given: ReturnType<typeof salesFixtures>;
let admin: { auth: { authorization: string } };
let manager: FixtureUser;
let rep: FixtureUser;
let otherRep: FixtureUser;
let finance: FixtureUser;
let methodId: string;

const leads = '/api/v1/sales/leads';
const DAY = 86_400_000;

beforeAll(async () => {
  // Web-form capture is rate-limited per client: clients are told apart by X-Forwarded-For from a proxy on the loopback.
  app = await startSalesApp({ TRUST_PROXY: 'loopback' });
  given = salesFixtures(app);
  admin = { auth: authHeader(await given.identity.adminToken()) };
  const team = await given.team(2);
  ({ manager } = team);
  [rep, otherRep] = team.reps;
  finance = await given.identity.user({ roles: ['finance'] });
  methodId = (await given.method(admin, { isDefault: true })).id;
});
afterAll(() => app?.close());

const setSetting = (key: string, value: unknown) => app.sql(`UPDATE sales.setting SET value = $2 WHERE key = $1`, [key, JSON.stringify(value)]);

describe('creating and editing leads', () => {
  it('creates a lead owned by the caller when no rule matches, publishing created and assigned', async () => {
    const res = await app.http.post(leads).set(rep.auth).send({ company: 'Initrode', lastName: 'Smith', email: 'smith@initrode.example', estimatedAmountMinor: 500_000, currency: 'EUR' }).expect(201);
    expect(res.body).toMatchObject({ status: 'assigned', ownerId: rep.id, source: 'manual', estimatedAmountMinor: 500_000 });
    const created = (await published(app, 'sales.lead.created')).find((e) => e.aggregateId === res.body.id);
    expect(created?.payload).toEqual({ leadId: res.body.id, source: 'manual', company: 'Initrode', email: 'smith@initrode.example', ownerId: rep.id, campaignId: null });
    const assigned = (await published(app, 'sales.lead.assigned')).find((e) => e.aggregateId === res.body.id);
    expect(assigned?.payload).toEqual({ leadId: res.body.id, ownerId: rep.id, previousOwnerId: null, via: 'manual', ruleId: null });
  });

  it('shows a lead the same in the POST answer, GET and the list (timestamps, money, custom fields)', async () => {
    const created = await app.http
      .post(leads)
      .set(rep.auth)
      .send({ company: 'Listed Lead GmbH', lastName: 'Same', email: 'same@listed.example', estimatedAmountMinor: 9_876_543_210, currency: 'EUR', region: 'EMEA', customFields: { tier: 'gold', seats: 12 } })
      .expect(201);
    expect(created.body.assignedAt).toEqual(expect.any(String));
    const got = await app.http.get(`${leads}/${created.body.id}`).set(rep.auth).expect(200);
    expect(got.body).toEqual(created.body);
    const listed = await app.http.get(leads).set(rep.auth).query({ q: 'listed lead' }).expect(200);
    expect(listed.body).toEqual({ items: [created.body], nextCursor: null });
  });

  it('validates (400), checks permission (403) and scope (404), honours If-Match (412) and Idempotency-Key', async () => {
    const bad = await app.http.post(leads).set(rep.auth).send({ lastName: '', email: 'x', currency: 'EURO', estimatedAmountMinor: -1, status: 'qualified' });
    expectProblem(bad, 400);
    expect(new Set(bad.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['lastName', 'email', 'currency', 'estimatedAmountMinor', 'status']));
    expectProblem(await app.http.post(leads).set(finance.auth).send({ lastName: 'X' }), 403);
    const lead = await given.lead(rep);
    expectProblem(await app.http.get(`${leads}/${lead.id}`).set(otherRep.auth), 404);
    expectProblem(await app.http.post(`${leads}/${lead.id}/qualify`).set(otherRep.auth), 404);
    await app.http.get(`${leads}/${lead.id}`).set(manager.auth).expect(200);
    await app.http.patch(`${leads}/${lead.id}`).set(rep.auth).set('if-match', '"1"').send({ title: 'COO' }).expect(200);
    expectProblem(await app.http.post(`${leads}/${lead.id}/assign`).set(manager.auth).set('if-match', '"1"').send({ ownerId: otherRep.id }), 412);
    const body = { lastName: given.unique('Idem') };
    const a = await app.http.post(leads).set(rep.auth).set('idempotency-key', 'lead-1').send(body).expect(201);
    const b = await app.http.post(leads).set(rep.auth).set('idempotency-key', 'lead-1').send(body).expect(201);
    expect(b.body.id).toBe(a.body.id);
    expect(b.headers['idempotent-replayed']).toBe('true');
  });

  it('qualifies and disqualifies by the state table (409 on illegal moves)', async () => {
    const lead = await given.lead(rep);
    await app.http.post(`${leads}/${lead.id}/qualify`).set(rep.auth).expect(200);
    expectProblem(await app.http.post(`${leads}/${lead.id}/qualify`).set(rep.auth), 409, 'sales.lead.illegal-transition');
    const other = await given.lead(rep);
    expectProblem(await app.http.post(`${leads}/${other.id}/disqualify`).set(rep.auth).send({}), 400);
    const res = await app.http.post(`${leads}/${other.id}/disqualify`).set(rep.auth).send({ reason: 'No budget' }).expect(200);
    expect(res.body).toMatchObject({ status: 'disqualified', disqualifyReason: 'No budget' });
    expectProblem(await app.http.post(`${leads}/${other.id}/assign`).set(rep.auth).send({ ownerId: rep.id }), 409, 'sales.lead.illegal-transition');
  });
});

describe('assignment rules', () => {
  it('round-robin deals 30 matching leads 10/10/10 over a unit’s reps, in one fixed order', async () => {
    const unit = await given.identity.orgUnit({ type: 'region' });
    const reps = [];
    for (let i = 0; i < 3; i++) reps.push(await given.identity.user({ roles: ['sales-rep'], orgUnitId: unit.id }));
    const rule = ok(await app.http.post('/api/v1/sales/lead-assignment-rules').set(admin.auth).send({ name: 'APAC', priority: 10, criteria: { regions: ['APAC'] }, assignTo: { orgUnitId: unit.id }, strategy: 'round-robin' }));
    const owners: string[] = [];
    for (let i = 0; i < 30; i++) owners.push((await given.lead(admin, { region: 'apac' })).ownerId);
    const counts = reps.map((r) => owners.filter((o) => o === r.id).length);
    expect(counts).toEqual([10, 10, 10]);
    expect(owners.slice(0, 3)).toEqual(owners.slice(3, 6));
    const afterRule = ok(await app.http.get(`/api/v1/sales/lead-assignment-rules/${rule.id}`).set(admin.auth), 200);
    expect(afterRule.assignedCount).toBe(30);
    const event = (await published(app, 'sales.lead.assigned')).filter((e) => (e.payload as { via: string }).via === 'rule');
    expect(event).toHaveLength(30);
    expect(event[0].payload).toMatchObject({ ruleId: rule.id });
  });

  it('least-loaded picks the rep with the fewest open leads; rules apply on demand too', async () => {
    const unit = await given.identity.orgUnit({ type: 'region' });
    const busy = await given.identity.user({ roles: ['sales-rep'], orgUnitId: unit.id });
    const idle = await given.identity.user({ roles: ['sales-rep'], orgUnitId: unit.id });
    await given.lead(busy);
    await given.lead(busy);
    await given.lead(idle);
    ok(await app.http.post('/api/v1/sales/lead-assignment-rules').set(admin.auth).send({ name: 'LATAM', priority: 5, criteria: { regions: ['LATAM'], minAmountMinor: 100 }, assignTo: { orgUnitId: unit.id }, strategy: 'least-loaded' }));
    const lead = await given.lead(admin, { region: 'LATAM', estimatedAmountMinor: 1000, currency: 'USD' });
    expect(lead.ownerId).toBe(idle.id);
    // On demand: a lead released to the pool is assigned by the rules again.
    await app.http.post(`${leads}/${lead.id}/release`).set(idle.auth).expect(200);
    const again = ok(await app.http.post(`${leads}/${lead.id}/auto-assign`).set(admin.auth), 200);
    expect([busy.id, idle.id]).toContain(again.ownerId);
    const unmatched = await given.lead(rep, { region: 'Nowhere' });
    await app.http.post(`${leads}/${unmatched.id}/release`).set(rep.auth).expect(200);
    expectProblem(await app.http.post(`${leads}/${unmatched.id}/auto-assign`).set(admin.auth), 422, 'sales.lead.no-matching-rule');
    expectProblem(await app.http.post('/api/v1/sales/lead-assignment-rules').set(admin.auth).send({ name: 'x', priority: 1, criteria: {}, assignTo: {}, strategy: 'round-robin' }), 400);
  });
});

describe('conversion', () => {
  it('creates account, contact and opportunity in one transaction; the lead becomes read-only', async () => {
    const lead = await given.lead(rep, { company: given.unique('Convertible Co'), firstName: 'Con', lastName: 'Vert', email: `${Date.now()}@convert.example`, estimatedAmountMinor: 750_000, currency: 'EUR', productInterest: 'CRM' });
    const res = await app.http.post(`${leads}/${lead.id}/convert`).set(rep.auth).send({ createOpportunity: true, opportunity: { closeDate: '2026-09-30' } }).expect(200);
    const { accountId, contactId, opportunityId } = res.body;
    expect(res.body.lead).toMatchObject({ status: 'converted', convertedAccountId: accountId, convertedContactId: contactId, convertedOpportunityId: opportunityId });
    expect(ok(await app.http.get(`/api/v1/sales/accounts/${accountId}`).set(rep.auth), 200)).toMatchObject({ name: lead.company, ownerId: rep.id, lifecycleStage: 'prospect' });
    expect(ok(await app.http.get(`/api/v1/sales/contacts/${contactId}`).set(rep.auth), 200)).toMatchObject({ accountId, lastName: 'Vert', email: lead.email });
    expect(ok(await app.http.get(`/api/v1/sales/opportunities/${opportunityId}`).set(rep.auth), 200)).toMatchObject({ accountId, amountMinor: 750_000, currency: 'EUR', leadId: lead.id, source: 'lead', salesMethodId: methodId, stageKey: 'qualify' });
    const converted = (await published(app, 'sales.lead.converted')).find((e) => e.aggregateId === lead.id);
    expect(converted?.payload).toEqual({ leadId: lead.id, accountId, contactId, opportunityId, existingAccount: false, campaignId: null });
    expectProblem(await app.http.patch(`${leads}/${lead.id}`).set(rep.auth).send({ title: 'x' }), 409, 'sales.lead.converted-read-only');
    expectProblem(await app.http.post(`${leads}/${lead.id}/convert`).set(rep.auth).send({}), 409, 'sales.lead.converted-read-only');
  });

  it('attaches to an existing account', async () => {
    const account = await given.account(rep);
    const lead = await given.lead(rep);
    const res = await app.http.post(`${leads}/${lead.id}/convert`).set(rep.auth).send({ accountId: account.id }).expect(200);
    expect(res.body).toMatchObject({ accountId: account.id, opportunityId: null });
  });

  it('is atomic: a failure at the opportunity step leaves no account, no contact, and the lead unchanged', async () => {
    const company = given.unique('Atomic Ltd');
    const lead = await given.lead(rep, { company, lastName: 'Atom', email: `atom-${Date.now()}@example.com` });
    const res = await app.http
      .post(`${leads}/${lead.id}/convert`)
      .set(rep.auth)
      .send({ createOpportunity: true, opportunity: { closeDate: '2026-09-30', amountMinor: 1, currency: 'EUR', salesMethodId: '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d' } });
    expectProblem(res, 422, 'sales.sales-method.unknown');
    expect(await app.sql(`SELECT count(*)::int AS n FROM sales.account WHERE name = $1`, [company])).toEqual([{ n: 0 }]);
    expect(await app.sql(`SELECT count(*)::int AS n FROM sales.contact WHERE email = $1`, [lead.email])).toEqual([{ n: 0 }]);
    expect(ok(await app.http.get(`${leads}/${lead.id}`).set(rep.auth), 200)).toMatchObject({ status: 'assigned', version: 1 });
    expect((await published(app, 'sales.account.created')).filter((e) => (e.payload as { name: string }).name === company)).toEqual([]);
  });

  it('stops on a duplicate account with the candidates (409), and converts with force', async () => {
    const existing = await given.account(rep, { name: given.unique('Twin Corp') });
    const lead = await given.lead(rep, { company: existing.name });
    const res = await app.http.post(`${leads}/${lead.id}/convert`).set(rep.auth).send({});
    expectProblem(res, 409, 'sales.account.possible-duplicate');
    expect(res.body.candidates.map((c: { id: string }) => c.id)).toEqual([existing.id]);
    await app.http.post(`${leads}/${lead.id}/convert`).set(rep.auth).send({ force: true }).expect(200);
  });
});

describe('lead pool', () => {
  it('releases a lead to the pool and lets a rep claim it; the pool lists unowned leads', async () => {
    const lead = await given.lead(rep);
    const released = ok(await app.http.post(`${leads}/${lead.id}/release`).set(rep.auth), 200);
    expect(released).toMatchObject({ status: 'new', ownerId: null });
    const pool = ok(await app.http.get('/api/v1/sales/lead-pool').set(otherRep.auth).query({ limit: 500 }), 200);
    expect(pool.items.map((l: { id: string }) => l.id)).toContain(lead.id);
    const claimed = ok(await app.http.post(`${leads}/${lead.id}/claim`).set(otherRep.auth), 200);
    expect(claimed).toMatchObject({ status: 'assigned', ownerId: otherRep.id });
    expect((await published(app, 'sales.lead.released')).find((e) => e.aggregateId === lead.id)?.payload).toEqual({ leadId: lead.id, previousOwnerId: rep.id, reason: 'manual' });
    expectProblem(await app.http.post(`${leads}/${lead.id}/claim`).set(rep.auth), 404);
    expectProblem(await app.http.post(`${leads}/${lead.id}/claim`).set(manager.auth), 409, 'sales.lead.already-claimed');
  });

  it('race: 10 reps claim one lead at once → exactly one winner; the rest are refused (404: it left their scope)', async () => {
    const reps: FixtureUser[] = [];
    const unit = await given.identity.orgUnit({ type: 'team' });
    for (let i = 0; i < 10; i++) reps.push(await given.identity.user({ roles: ['sales-rep'], orgUnitId: unit.id }));
    const lead = await given.lead(rep);
    await app.http.post(`${leads}/${lead.id}/release`).set(rep.auth).expect(200);
    const results = await Promise.all(reps.map((r) => app.http.post(`${leads}/${lead.id}/claim`).set(r.auth)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 404)).toHaveLength(9);
    const winner = results.find((r) => r.status === 200)!.body.ownerId;
    expect(await app.sql(`SELECT owner_id FROM sales.lead WHERE id = $1`, [lead.id])).toEqual([{ owner_id: winner }]);
    expect((await published(app, 'sales.lead.assigned')).filter((e) => e.aggregateId === lead.id && (e.payload as { via: string }).via === 'claim')).toHaveLength(1);
  });

  (hasRealPostgres() ? it : it.skip)('race (real PostgreSQL): one rep claiming 20 pool leads at once with a limit of 3 gets exactly 3', async () => {
    const claimer = await given.identity.user({ roles: ['sales-rep'] });
    const pool = [];
    for (let i = 0; i < 20; i++) {
      const lead = await given.lead(admin, { region: 'pool-race' });
      await app.sql(`UPDATE sales.lead SET owner_id = NULL, status = 'new' WHERE id = $1`, [lead.id]);
      pool.push(lead.id);
    }
    await setSetting('lead-claim-limit', 3);
    try {
      const results = await Promise.all(pool.map((id) => app.http.post(`${leads}/${id}/claim`).set(claimer.auth)));
      expect(results.filter((r) => r.status === 200)).toHaveLength(3);
      expect(results.filter((r) => r.status === 422).every((r) => r.body.code === 'sales.lead.claim-limit-reached')).toBe(true);
      expect(await app.sql(`SELECT count(*)::int AS n FROM sales.lead WHERE owner_id = $1`, [claimer.id])).toEqual([{ n: 3 }]);
    } finally {
      await setSetting('lead-claim-limit', 50);
    }
  });

  it('refuses a claim over the per-rep open-lead limit with 422', async () => {
    const claimer = await given.identity.user({ roles: ['sales-rep'] });
    await given.lead(claimer);
    const lead = await given.lead(rep);
    await app.http.post(`${leads}/${lead.id}/release`).set(rep.auth).expect(200);
    await setSetting('lead-claim-limit', 1);
    try {
      const res = await app.http.post(`${leads}/${lead.id}/claim`).set(claimer.auth);
      expectProblem(res, 422, 'sales.lead.claim-limit-reached');
      expect(res.body).toMatchObject({ limit: 1, open: 1 });
    } finally {
      await setSetting('lead-claim-limit', 50);
    }
  });

  it('returns a lead to the pool after N days without activity (durable timer), re-armed by activity', async () => {
    const clock = app.get(Clock);
    const scheduler = app.get(SchedulerTestHook);
    const start = new Date(clock.now().getTime() + 400 * DAY);
    clock.set(start);
    try {
      await setSetting('lead-pool-return-days', 2);
      const idle = await given.lead(rep);
      const busy = await given.lead(rep);
      clock.set(new Date(start.getTime() + 1.5 * DAY));
      await given.activity(rep, { type: 'call', subject: 'Intro call', startAt: clock.now().toISOString(), endAt: null, related: { type: 'lead', id: busy.id } });
      expect(ok(await app.http.get(`${leads}/${busy.id}`).set(rep.auth), 200).status).toBe('working');
      expect(await app.sql(`SELECT actor_id, changes FROM platform.audit_entries WHERE record_id = $1 AND action = 'start-working'`, [busy.id])).toEqual([
        { actor_id: rep.id, changes: { status: { before: 'assigned', after: 'working' } } },
      ]);
      clock.set(new Date(start.getTime() + 2.5 * DAY));
      await scheduler.runDue(clock.now());
      expect(await app.sql(`SELECT id, owner_id, status FROM sales.lead WHERE id = ANY($1) ORDER BY created_at`, [[idle.id, busy.id]])).toEqual([
        { id: idle.id, owner_id: null, status: 'new' },
        { id: busy.id, owner_id: rep.id, status: 'working' },
      ]);
      expect((await published(app, 'sales.lead.released')).find((e) => e.aggregateId === idle.id)?.payload).toMatchObject({ reason: 'inactivity', previousOwnerId: rep.id });
      clock.set(new Date(start.getTime() + 3.6 * DAY));
      await scheduler.runDue(clock.now());
      expect(await app.sql(`SELECT owner_id, status FROM sales.lead WHERE id = $1`, [busy.id])).toEqual([{ owner_id: null, status: 'new' }]);
    } finally {
      await setSetting('lead-pool-return-days', 30);
      clock.resume();
    }
  });
});

describe('capture', () => {
  it('takes web-form leads without authentication, validated and rate-limited per client', async () => {
    const form = ok(await app.http.post('/api/v1/sales/lead-capture-forms').set(admin.auth).send({ name: 'Website', ratePerMinute: 2, productInterest: 'CRM Suite' }));
    expect(form.formKey).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const url = `/api/v1/sales/lead-capture/${form.formKey}`;
    expectProblem(await app.http.post(url).set('x-forwarded-for', '203.0.113.7').send({ lastName: '', email: 'nope' }), 400);
    const first = await app.http.post(url).set('x-forwarded-for', '203.0.113.7').send({ lastName: 'Webb', email: 'webb@example.com', company: 'Web Co' }).expect(201);
    await app.http.post(url).set('x-forwarded-for', '203.0.113.7').send({ lastName: 'Webb2' }).expect(201);
    const limited = await app.http.post(url).set('x-forwarded-for', '203.0.113.7').send({ lastName: 'Webb3' });
    expectProblem(limited, 429, 'sales.lead-capture.rate-limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await app.http.post(url).set('x-forwarded-for', '198.51.100.9').send({ lastName: 'Other client' }).expect(201);
    expectProblem(await app.http.post('/api/v1/sales/lead-capture/unknown-key').send({ lastName: 'X' }), 404);
    const [lead] = await app.sql(`SELECT source, product_interest, owner_id, status, capture_form_id FROM sales.lead WHERE id = $1`, [first.body.id]);
    expect(lead).toEqual({ source: 'web-form', product_interest: 'CRM Suite', owner_id: null, status: 'new', capture_form_id: form.id });
  });
});

describe('consumed events', () => {
  it('creates a lead from marketing.campaign-response.received, once', async () => {
    const campaignId = '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3e';
    const eventId = await publishForeignEvent(app, 'marketing.campaign-response.received', { responseId: 'r-1', campaignId, lastName: 'Camp', email: 'camp@example.com', region: 'EMEA' });
    await drainEvents(app);
    const rows = await eventually(async () => {
      const found = await app.sql(`SELECT source, campaign_id, email, source_event_id FROM sales.lead WHERE source_event_id = $1`, [eventId]);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(rows[0]).toEqual({ source: 'campaign', campaign_id: campaignId, email: 'camp@example.com', source_event_id: eventId });
  });
});
