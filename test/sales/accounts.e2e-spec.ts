import { published } from '../support/events';
import { authHeader, type FixtureUser } from '../support/identity';
import { expectProblem, type TestApp } from '../support/test-app';
import { salesFixtures, startSalesApp } from './given';

let app: TestApp;
let given: ReturnType<typeof salesFixtures>;
let manager: FixtureUser;
let rep: FixtureUser;
let otherRep: FixtureUser;
let outsider: FixtureUser;
let finance: FixtureUser;

beforeAll(async () => {
  app = await startSalesApp();
  given = salesFixtures(app);
  const team = await given.team(2);
  ({ manager } = team);
  [rep, otherRep] = team.reps;
  const elsewhere = await given.team(1);
  outsider = elsewhere.reps[0];
  finance = await given.identity.user({ roles: ['finance'] });
});
afterAll(() => app?.close());

const accounts = '/api/v1/sales/accounts';
const contacts = '/api/v1/sales/contacts';

/** Runs `body` with the Sales setting `duplicateCheckRevealHiddenCandidates` on (off again afterwards). */
async function withHiddenCandidatesRevealed(body: () => Promise<void>): Promise<void> {
  const admin = authHeader(await given.identity.adminToken());
  await app.http.patch('/api/v1/sales/settings').set(admin).send({ duplicateCheckRevealHiddenCandidates: true }).expect(200);
  try {
    await body();
  } finally {
    await app.http.patch('/api/v1/sales/settings').set(admin).send({ duplicateCheckRevealHiddenCandidates: false }).expect(200);
  }
}

describe('accounts', () => {
  it('creates an account owned by the caller, with audit and event', async () => {
    const res = await app.http
      .post(accounts)
      .set(rep.auth)
      .send({ name: 'Acme Widgets GmbH', type: 'customer', tier: 'large', industry: 'Retail', email: 'Info@Acme-Widgets.example', phone: '+49 30 1111111', address: { city: 'Berlin', country: 'DE' }, customFields: { segment: 'B2B', employees: 250 } })
      .expect(201);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toMatchObject({ name: 'Acme Widgets GmbH', type: 'customer', tier: 'large', lifecycleStage: 'suspect', flags: ['active'], ownerId: rep.id, version: 1, customFields: { segment: 'B2B', employees: 250 } });
    const [event] = (await published(app, 'sales.account.created')).filter((e) => e.aggregateId === res.body.id);
    expect(event).toMatchObject({ aggregateType: 'sales.account', actorId: rep.id, payload: { accountId: res.body.id, name: 'Acme Widgets GmbH', type: 'customer', ownerId: rep.id } });
    expect(await app.sql(`SELECT action, actor_id FROM platform.audit_entries WHERE record_id = $1`, [res.body.id])).toEqual([{ action: 'create', actor_id: rep.id }]);
  });

  it('refuses invalid fields with 400 listing each, and persists nothing', async () => {
    const res = await app.http.post(accounts).set(rep.auth).send({ name: '', type: 'friend', email: 'not-an-email', creditCurrency: 'XXY', ownerId: 'me', version: 3, customFields: { 'bad key': 1 } });
    expectProblem(res, 400, 'validation-failed');
    expect(new Set((res.body.errors as { field: string }[]).map((e) => e.field))).toEqual(new Set(['name', 'type', 'email', 'creditCurrency', 'ownerId', 'version', 'customFields']));
  });

  it('flags possible duplicates by normalized name, email or phone with 409 and the candidates, unless force', async () => {
    const first = await given.account(rep, { name: 'Duplicate Test Inc.', email: 'sales@dup.example', phone: '030 99887766' });
    const byName = await app.http.post(accounts).set(rep.auth).send({ name: 'duplicate test', type: 'prospect' });
    expectProblem(byName, 409, 'sales.account.possible-duplicate');
    expect(byName.body.candidates).toEqual([{ id: first.id, name: 'Duplicate Test Inc.', matchedOn: ['name'] }]);
    const byPhone = await app.http.post(accounts).set(rep.auth).send({ name: 'Other Name', phone: '+49 (030) 9988-7766' });
    expect(byPhone.body.candidates).toEqual([{ id: first.id, name: 'Duplicate Test Inc.', matchedOn: ['phone'] }]);
    // Another rep does not see the candidate, and by default does not learn that one exists either…
    const hidden = await app.http.post(accounts).set(otherRep.auth).send({ name: 'Duplicate Test Ltd', email: 'SALES@dup.example' });
    expectProblem(hidden, 409, 'sales.account.possible-duplicate');
    expect(hidden.body.candidates).toEqual([]);
    expect(hidden.body).not.toHaveProperty('hiddenCandidates');
    // … unless the setting reveals the count.
    await withHiddenCandidatesRevealed(async () => {
      const counted = await app.http.post(accounts).set(otherRep.auth).send({ name: 'Duplicate Test Ltd', email: 'SALES@dup.example' });
      expectProblem(counted, 409, 'sales.account.possible-duplicate');
      expect(counted.body).toMatchObject({ candidates: [], hiddenCandidates: 1 });
    });
    const forced = await app.http.post(accounts).set(rep.auth).send({ name: 'Duplicate Test', force: true }).expect(201);
    expect(forced.body.name).toBe('Duplicate Test');
  });

  it('searches name, email and phone with ?q= and filters by type', async () => {
    await given.account(rep, { name: 'Searchable Zebra Corp', email: 'hello@zebra.example' });
    await given.account(rep, { name: 'Unrelated Yak', type: 'prospect' });
    const byName = await app.http.get(accounts).set(rep.auth).query({ q: 'zebra' }).expect(200);
    expect(byName.body.items.map((a: { name: string }) => a.name)).toEqual(['Searchable Zebra Corp']);
    const byEmail = await app.http.get(accounts).set(rep.auth).query({ q: 'HELLO@ZEB' }).expect(200);
    expect(byEmail.body.items).toHaveLength(1);
    const prospects = await app.http.get(accounts).set(rep.auth).query({ type: 'prospect', q: 'yak' }).expect(200);
    expect(prospects.body.items.map((a: { name: string }) => a.name)).toEqual(['Unrelated Yak']);
  });

  it('shows an account the same in the POST answer, GET and lists, page by page with the cursor', async () => {
    const parent = await given.account(rep, { name: 'Listed Parent Holding', force: true });
    const full = await given.account(rep, {
      name: 'Listed Full Ünïcode "Quoted" AG',
      type: 'partner',
      tier: 'key',
      industry: 'Retail',
      lifecycleStage: 'loyal',
      flags: ['active', 'at-risk'],
      parentAccountId: parent.id,
      phone: '+49 30 5550001',
      email: 'listed@full.example',
      website: 'https://full.example',
      address: { street: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
      anniversary: '2010-04-01',
      creditRating: 'A',
      creditLimitMinor: 12_345_678_901,
      creditCurrency: 'EUR',
      externalId: 'erp-listed-full',
      customFields: { segment: 'B2B', employees: 250, vip: true, note: null },
      force: true,
    });
    const got = await app.http.get(`${accounts}/${full.id}`).set(rep.auth).expect(200);
    expect(got.body).toEqual(full);
    expect(got.headers.etag).toBe('"1"');
    expect(got.headers['content-type']).toMatch(/^application\/json/);
    await app.http.get(`${accounts}/${full.id}`).set(rep.auth).set('if-none-match', '"1"').expect(304);
    const listed = await app.http.get(accounts).set(rep.auth).query({ q: 'listed full' }).expect(200);
    expect(listed.headers['content-type']).toMatch(/^application\/json/);
    expect(listed.body).toEqual({ items: [got.body], nextCursor: null });

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await app.http.get(accounts).set(rep.auth).query({ q: 'listed', sort: '-createdAt', limit: 1, ...(cursor ? { cursor } : {}) }).expect(200);
      seen.push(...page.body.items.map((a: { id: string }) => a.id));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([full.id, parent.id]);
  });

  it('applies the data scope: a rep sees own, the manager the team, others get 404', async () => {
    const mine = await given.account(rep);
    const theirs = await given.account(otherRep);
    const repList = await app.http.get(accounts).set(rep.auth).query({ limit: 500 }).expect(200);
    const repIds = repList.body.items.map((a: { id: string; ownerId: string }) => a.ownerId);
    expect(new Set(repIds)).toEqual(new Set([rep.id]));
    const managerList = await app.http.get(accounts).set(manager.auth).query({ limit: 500 }).expect(200);
    expect(managerList.body.items.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expectProblem(await app.http.get(`${accounts}/${theirs.id}`).set(rep.auth), 404, 'not-found');
    expectProblem(await app.http.patch(`${accounts}/${theirs.id}`).set(rep.auth).send({ industry: 'x' }), 404);
    expectProblem(await app.http.delete(`${accounts}/${theirs.id}`).set(outsider.auth), 404);
    await app.http.get(`${accounts}/${theirs.id}`).set(manager.auth).expect(200);
  });

  it('refuses giving an account to a user outside the caller’s scope (422, the same answer as an unknown user)', async () => {
    const outOfScope = await app.http.post(accounts).set(rep.auth).send({ name: given.unique('Gift'), ownerId: otherRep.id });
    expectProblem(outOfScope, 422, 'sales.owner.unknown-user');
    expect(outOfScope.body.errors).toEqual([{ field: 'ownerId', message: expect.any(String) }]);
    const res = await app.http.post(accounts).set(manager.auth).send({ name: given.unique('Assigned'), ownerId: rep.id }).expect(201);
    expect(res.body.ownerId).toBe(rep.id);
  });

  it('answers 403 without the permission and 401 without credentials', async () => {
    expectProblem(await app.http.post(accounts).set(finance.auth).send({ name: 'Nope' }), 403, 'permission-denied');
    expectProblem(await app.http.get(accounts), 401);
  });

  it('updates with If-Match, refuses a stale version with 412, and records the diff', async () => {
    const account = await given.account(rep, { name: given.unique('Versioned') });
    const res = await app.http.patch(`${accounts}/${account.id}`).set(rep.auth).set('if-match', '"1"').send({ tier: 'key', flags: ['active', 'at-risk'] }).expect(200);
    expect(res.body).toMatchObject({ tier: 'key', flags: ['active', 'at-risk'], version: 2 });
    expectProblem(await app.http.patch(`${accounts}/${account.id}`).set(rep.auth).set('if-match', '"1"').send({ tier: 'small' }), 412, 'stale-version');
    expectProblem(await app.http.patch(`${accounts}/${account.id}`).set(rep.auth).send({ name: null }), 400);
    const [event] = (await published(app, 'sales.account.updated')).filter((e) => e.aggregateId === account.id);
    expect(event.payload).toEqual({ accountId: account.id, changed: ['tier', 'flags'], ownerId: rep.id });
    const [audit] = await app.sql<{ changes: object }>(`SELECT changes FROM platform.audit_entries WHERE record_id = $1 AND action = 'update'`, [account.id]);
    expect(audit.changes).toEqual({ tier: { before: null, after: 'key' }, flags: { before: ['active'], after: ['active', 'at-risk'] } });
  });

  it('replays a POST with the same Idempotency-Key and creates one account', async () => {
    const body = { name: given.unique('Idempotent') };
    const first = await app.http.post(accounts).set(rep.auth).set('idempotency-key', 'acct-1').send(body).expect(201);
    const again = await app.http.post(accounts).set(rep.auth).set('idempotency-key', 'acct-1').send(body).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(await app.sql(`SELECT count(*)::int AS n FROM sales.account WHERE name = $1`, [body.name])).toEqual([{ n: 1 }]);
  });

  it('keeps the group structure acyclic and deletes only accounts without dependents', async () => {
    const parent = await given.account(rep);
    const child = await given.account(rep, { parentAccountId: parent.id });
    expectProblem(await app.http.patch(`${accounts}/${parent.id}`).set(rep.auth).send({ parentAccountId: child.id }), 422, 'sales.account.parent-cycle');
    expectProblem(await app.http.delete(`${accounts}/${parent.id}`).set(rep.auth), 409, 'sales.account.has-dependents');
    expectProblem(await app.http.delete(`${accounts}/${child.id}`).set(rep.auth).set('if-match', '"9"'), 412);
    await app.http.delete(`${accounts}/${child.id}`).set(rep.auth).expect(204);
    expectProblem(await app.http.get(`${accounts}/${child.id}`).set(rep.auth), 404);
    expect((await published(app, 'sales.account.deleted')).map((e) => e.aggregateId)).toContain(child.id);
  });
});

describe('contacts', () => {
  it('creates a contact at exactly one account; the owner defaults to the account’s owner', async () => {
    const account = await given.account(manager, { ownerId: rep.id });
    const res = await app.http.post(contacts).set(manager.auth).send({ accountId: account.id, firstName: 'Ann', lastName: 'Lee', email: 'ann.lee@example.com', birthday: '1985-07-14', interests: ['price'] }).expect(201);
    expect(res.body).toMatchObject({ accountId: account.id, ownerId: rep.id, birthday: '1985-07-14', interests: ['price'] });
    const [event] = (await published(app, 'sales.contact.created')).filter((e) => e.aggregateId === res.body.id);
    expect(event.payload).toMatchObject({ contactId: res.body.id, accountId: account.id, email: 'ann.lee@example.com', ownerId: rep.id });
    await app.http.get(`${contacts}/${res.body.id}`).set(rep.auth).expect(200);
    expectProblem(await app.http.get(`${contacts}/${res.body.id}`).set(otherRep.auth), 404);
  });

  it('shows a contact the same in the POST answer, GET and the list', async () => {
    const account = await given.account(rep);
    const created = await app.http
      .post(contacts)
      .set(rep.auth)
      .send({ accountId: account.id, firstName: 'Lia', lastName: 'Listed', title: 'CFO', email: 'lia@listed.example', mobile: '+49 170 1234567', birthday: '1990-02-28', preferredChannel: 'mobile', interests: ['price', 'service'], customFields: { vip: true } })
      .expect(201);
    const got = await app.http.get(`${contacts}/${created.body.id}`).set(rep.auth).expect(200);
    expect(got.body).toEqual(created.body);
    expect(got.headers.etag).toBe('"1"');
    const listed = await app.http.get(contacts).set(rep.auth).query({ accountId: account.id }).expect(200);
    expect(listed.body).toEqual({ items: [created.body], nextCursor: null });
  });

  it('refuses a contact at an account the caller cannot see (422 naming accountId, like an unknown one) and invalid fields (400)', async () => {
    const hidden = await given.account(otherRep);
    const refused = await app.http.post(contacts).set(rep.auth).send({ accountId: hidden.id, lastName: 'X' });
    expectProblem(refused, 422, 'sales.account.unknown');
    expect(refused.body.errors).toEqual([{ field: 'accountId', message: expect.any(String) }]);
    const res = await app.http.post(contacts).set(rep.auth).send({ lastName: '', birthday: 'yesterday', interests: 'price' });
    expectProblem(res, 400);
    expect(new Set((res.body.errors as { field: string }[]).map((e) => e.field))).toEqual(new Set(['accountId', 'lastName', 'birthday', 'interests']));
  });

  it('flags duplicate emails and phones with 409 unless force; searches with ?q=', async () => {
    const account = await given.account(rep);
    const first = await given.contact(rep, account.id, { lastName: 'Dupe', email: 'dupe@example.com', mobile: '+1 415 555 0199' });
    const dup = await app.http.post(contacts).set(rep.auth).send({ accountId: account.id, lastName: 'Dupe2', phone: '(415) 555-0199' });
    expectProblem(dup, 409, 'sales.contact.possible-duplicate');
    expect(dup.body.candidates).toEqual([{ id: first.id, name: 'Dupe', matchedOn: ['phone'] }]);
    await app.http.post(contacts).set(rep.auth).send({ accountId: account.id, lastName: 'Dupe2', phone: '(415) 555-0199', force: true }).expect(201);
    // A duplicate the caller cannot see: no candidate, and no count unless the setting reveals it.
    const theirs = await given.account(otherRep);
    const hidden = await app.http.post(contacts).set(otherRep.auth).send({ accountId: theirs.id, lastName: 'Other', email: 'DUPE@example.com' });
    expectProblem(hidden, 409, 'sales.contact.possible-duplicate');
    expect(hidden.body.candidates).toEqual([]);
    expect(hidden.body).not.toHaveProperty('hiddenCandidates');
    await withHiddenCandidatesRevealed(async () => {
      const counted = await app.http.post(contacts).set(otherRep.auth).send({ accountId: theirs.id, lastName: 'Other', email: 'DUPE@example.com' });
      expect(counted.body).toMatchObject({ code: 'sales.contact.possible-duplicate', candidates: [], hiddenCandidates: 1 });
    });
    const found = await app.http.get(contacts).set(rep.auth).query({ q: 'dupe@', accountId: account.id }).expect(200);
    expect(found.body.items.map((c: { id: string }) => c.id)).toEqual([first.id]);
  });

  it('updates with If-Match (412 when stale), publishes the change, deletes; 403 without permission', async () => {
    const account = await given.account(rep);
    const contact = await given.contact(rep, account.id);
    await app.http.patch(`${contacts}/${contact.id}`).set(rep.auth).set('if-match', '"1"').send({ title: 'CTO' }).expect(200);
    expectProblem(await app.http.patch(`${contacts}/${contact.id}`).set(rep.auth).set('if-match', '"1"').send({ title: 'CEO' }), 412);
    const [event] = (await published(app, 'sales.contact.updated')).filter((e) => e.aggregateId === contact.id);
    expect(event.payload).toMatchObject({ contactId: contact.id, changed: ['title'] });
    expectProblem(await app.http.post(contacts).set(finance.auth).send({ accountId: account.id, lastName: 'X' }), 403);
    const replay1 = await app.http.post(contacts).set(rep.auth).set('idempotency-key', 'c-1').send({ accountId: account.id, lastName: 'Replay' }).expect(201);
    const replay2 = await app.http.post(contacts).set(rep.auth).set('idempotency-key', 'c-1').send({ accountId: account.id, lastName: 'Replay' }).expect(201);
    expect(replay2.body.id).toBe(replay1.body.id);
    await app.http.delete(`${contacts}/${contact.id}`).set(rep.auth).set('if-match', '"2"').expect(204);
    expectProblem(await app.http.get(`${contacts}/${contact.id}`).set(rep.auth), 404);
  });
});

describe('custom-field filters', () => {
  it('lists only records whose custom fields contain the given values, within scope', async () => {
    const b2b = await given.account(rep, { customFields: { erpSegment: 'B2B', region: 'north' } });
    await given.account(rep, { customFields: { erpSegment: 'B2C', region: 'north' } });
    const othersB2b = await given.account(outsider, { customFields: { erpSegment: 'B2B', region: 'north' } });
    const res = await app.http.get(accounts).query({ customFields: JSON.stringify({ erpSegment: 'B2B', region: 'north' }) }).set(rep.auth).expect(200);
    const ids = res.body.items.map((a: { id: string }) => a.id);
    expect(ids).toEqual([b2b.id]);
    expect(ids).not.toContain(othersB2b.id);

    const contact = await given.contact(rep, b2b.id, { customFields: { preferred: 'email' } });
    const contactsRes = await app.http.get(contacts).query({ customFields: '{"preferred":"email"}' }).set(rep.auth).expect(200);
    expect(contactsRes.body.items.map((c: { id: string }) => c.id)).toEqual([contact.id]);
  });

  it('refuses malformed custom-field filters with 400', async () => {
    const res = await app.http.get(accounts).query({ customFields: '{not json' }).set(rep.auth);
    expectProblem(res, 400, 'validation-failed');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'customFields' })]);
    expectProblem(await app.http.get(accounts).query({ customFields: '["a"]' }).set(rep.auth), 400);
  });
});
