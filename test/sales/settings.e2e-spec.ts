import { authHeader, type FixtureUser } from '../support/identity';
import { expectProblem, type TestApp } from '../support/test-app';
import { ok, salesFixtures, startSalesApp } from './given';

let app: TestApp;
let given: ReturnType<typeof salesFixtures>;
let admin: { auth: { authorization: string } };
let viewer: FixtureUser;
let finance: FixtureUser;

const settings = '/api/v1/sales/settings';
const DEFAULTS = {
  leadPoolReturnDays: 30, leadClaimLimit: 50, birthdayReminderDays: 3, pipelineDefaultCurrency: 'EUR', leadImportMaxRows: 1000, customer360RecentItems: 10,
  duplicateCheckRevealHiddenCandidates: false,
};

beforeAll(async () => {
  app = await startSalesApp();
  given = salesFixtures(app);
  admin = { auth: authHeader(await given.identity.adminToken()) };
  ok(await app.http.post('/api/v1/identity/roles').set(admin.auth).send({ key: 'sales-settings-viewer', name: 'Sees Sales settings', permissions: ['sales.settings:read'], dataScopes: {} }));
  viewer = await given.identity.user({ roles: ['sales-settings-viewer'] });
  finance = await given.identity.user({ roles: ['finance'] });
});
afterAll(() => app?.close());

it('shows every parameter with its default and an ETag', async () => {
  const res = await app.http.get(settings).set(viewer.auth).expect(200);
  expect(res.body).toEqual({ ...DEFAULTS, version: 1, updatedAt: expect.any(String) });
  expect(res.headers.etag).toBe('"1"');
});

it('changes parameters with If-Match, audits the change, and answers 412 to a stale version', async () => {
  const res = await app.http.patch(settings).set(admin.auth).set('if-match', '"1"').send({ leadPoolReturnDays: 14, pipelineDefaultCurrency: 'USD' }).expect(200);
  expect(res.body).toMatchObject({ ...DEFAULTS, leadPoolReturnDays: 14, pipelineDefaultCurrency: 'USD', version: 2 });
  expect(res.headers.etag).toBe('"2"');
  expect((await app.http.get(settings).set(viewer.auth).expect(200)).body).toMatchObject({ leadPoolReturnDays: 14, pipelineDefaultCurrency: 'USD', version: 2 });
  expectProblem(await app.http.patch(settings).set(admin.auth).set('if-match', '"1"').send({ leadClaimLimit: 5 }), 412, 'stale-version');
  const audit = await app.http.get('/api/v1/audit/entries').query({ recordType: 'sales.settings', recordId: 'sales' }).set(admin.auth).expect(200);
  expect(audit.body.items).toEqual([
    expect.objectContaining({
      action: 'update',
      actor: expect.objectContaining({ userId: expect.any(String) }),
      changes: { leadPoolReturnDays: { before: 30, after: 14 }, pipelineDefaultCurrency: { before: 'EUR', after: 'USD' } },
    }),
  ]);
  // Nothing changed → no new version.
  expect((await app.http.patch(settings).set(admin.auth).send({ leadPoolReturnDays: 14 }).expect(200)).body.version).toBe(2);
});

it('refuses out-of-range, null and unknown values listing every field (400)', async () => {
  const res = await app.http.patch(settings).set(admin.auth).send({
    leadPoolReturnDays: 0, leadClaimLimit: 1.5, birthdayReminderDays: 61, pipelineDefaultCurrency: 'eur', leadImportMaxRows: 10_001, customer360RecentItems: null, colour: 'red',
    duplicateCheckRevealHiddenCandidates: 'yes',
  });
  expectProblem(res, 400, 'validation-failed');
  expect(new Set(res.body.errors.map((e: { field: string }) => e.field))).toEqual(
    new Set(['leadPoolReturnDays', 'leadClaimLimit', 'birthdayReminderDays', 'pipelineDefaultCurrency', 'leadImportMaxRows', 'customer360RecentItems', 'colour', 'duplicateCheckRevealHiddenCandidates']),
  );
  const nulls = await app.http.patch(settings).set(admin.auth).send({ customer360RecentItems: null });
  expectProblem(nulls, 400, 'validation-failed');
  expect(nulls.body.errors).toEqual([{ field: 'customer360RecentItems', message: expect.any(String) }]);
});

it('turns the hidden-duplicate count on and off (a boolean, audited)', async () => {
  const on = await app.http.patch(settings).set(admin.auth).send({ duplicateCheckRevealHiddenCandidates: true }).expect(200);
  expect(on.body).toMatchObject({ duplicateCheckRevealHiddenCandidates: true });
  expect((await app.http.get(settings).set(viewer.auth).expect(200)).body.duplicateCheckRevealHiddenCandidates).toBe(true);
  const off = await app.http.patch(settings).set(admin.auth).send({ duplicateCheckRevealHiddenCandidates: false }).expect(200);
  expect(off.body).toMatchObject({ duplicateCheckRevealHiddenCandidates: false, version: on.body.version + 1 });
  const audit = await app.http.get('/api/v1/audit/entries').query({ recordType: 'sales.settings', recordId: 'sales' }).set(admin.auth).expect(200);
  expect(audit.body.items.map((e: { changes: object }) => e.changes)).toEqual(
    expect.arrayContaining([{ duplicateCheckRevealHiddenCandidates: { before: false, after: true } }, { duplicateCheckRevealHiddenCandidates: { before: true, after: false } }]),
  );
});

it('needs sales.settings:manage to change and sales.settings:read to see (403)', async () => {
  expectProblem(await app.http.patch(settings).set(viewer.auth).send({ leadClaimLimit: 5 }), 403);
  expectProblem(await app.http.get(settings).set(finance.auth), 403);
});

it('a sales rep reads the settings but changes neither them nor the rest of the sales set-up (403); a manager creates methods but administers neither settings nor rules', async () => {
  const rep = await given.identity.user({ roles: ['sales-rep'] });
  const manager = await given.identity.user({ roles: ['sales-manager'] });
  await app.http.get(settings).set(rep.auth).expect(200);
  expectProblem(await app.http.patch(settings).set(rep.auth).send({ leadClaimLimit: 5 }), 403);
  const method = { name: given.unique('Method'), stages: [{ key: 'open', name: 'Open', order: 1, probability: 10 }, { key: 'won', name: 'Won', order: 2, probability: 100, terminal: 'won' }, { key: 'lost', name: 'Lost', order: 3, probability: 0, terminal: 'lost' }] };
  expectProblem(await app.http.post('/api/v1/sales/sales-methods').set(rep.auth).send(method), 403);
  expectProblem(await app.http.post('/api/v1/sales/lead-assignment-rules').set(rep.auth).send({}), 403);
  expectProblem(await app.http.post('/api/v1/sales/ownership-transfers').set(rep.auth).send({ fromUserId: manager.id, toUserId: rep.id }), 403);
  await app.http.get('/api/v1/sales/sales-methods').set(rep.auth).expect(200);
  ok(await app.http.post('/api/v1/sales/sales-methods').set(manager.auth).send(method));
  expectProblem(await app.http.patch(settings).set(manager.auth).send({ leadClaimLimit: 5 }), 403);
  expectProblem(await app.http.post('/api/v1/sales/lead-assignment-rules').set(manager.auth).send({}), 403);
});

it('the services use the new values: a lower claim limit stops the next claim', async () => {
  const rep = await given.identity.user({ roles: ['sales-rep'] });
  const pooled = [];
  for (let i = 0; i < 2; i++) pooled.push(ok(await app.http.post('/api/v1/sales/leads').set(admin.auth).send({ lastName: given.unique('Pool') })));
  for (const lead of pooled) await app.http.post(`/api/v1/sales/leads/${lead.id}/release`).set(admin.auth).expect(200);
  await app.http.patch(settings).set(admin.auth).send({ leadClaimLimit: 1 }).expect(200);
  await app.http.post(`/api/v1/sales/leads/${pooled[0].id}/claim`).set(rep.auth).expect(200);
  const refused = await app.http.post(`/api/v1/sales/leads/${pooled[1].id}/claim`).set(rep.auth);
  expectProblem(refused, 422, 'sales.lead.claim-limit-reached');
  expect(refused.body).toMatchObject({ limit: 1, open: 1 });
  await app.http.patch(settings).set(admin.auth).send({ leadClaimLimit: 2 }).expect(200);
  await app.http.post(`/api/v1/sales/leads/${pooled[1].id}/claim`).set(rep.auth).expect(200);
});
