import { uuidv7 } from 'uuidv7';
import { EventReplay } from '../../src/platform/events/event-replay';
import { drainEvents } from '../support/events';
import { authHeader, type FixtureUser } from '../support/identity';
import { expectProblem, type TestApp } from '../support/test-app';
import { ok, publishForeignEvent, salesFixtures, startSalesApp } from './given';

let app: TestApp;
let given: ReturnType<typeof salesFixtures>;
let admin: { auth: { authorization: string } };
let manager: FixtureUser;
let rep: FixtureUser;
let otherRep: FixtureUser;

const view = (accountId: string) => `/api/v1/sales/accounts/${accountId}/360`;

beforeAll(async () => {
  app = await startSalesApp();
  given = salesFixtures(app);
  admin = { auth: authHeader(await given.identity.adminToken()) };
  const team = await given.team(2);
  ({ manager } = team);
  [rep, otherRep] = team.reps;
});
afterAll(() => app?.close());

it('composes the account, its contacts, open opportunities, recent activities and touches fed by other contexts’ events', async () => {
  const account = await given.account(rep);
  const contact = await given.contact(rep, account.id, { email: 'wile@acme.example', phone: '+1 555 0100' });
  const open = await given.opportunity(rep, account.id);
  const lost = await given.opportunity(rep, account.id);
  await app.http.post(`/api/v1/sales/opportunities/${lost.id}/lose`).set(rep.auth).send({ reason: 'Price' }).expect(200);
  const activity = await given.activity(rep, { related: { type: 'account', id: account.id } });

  const ticketId = uuidv7();
  const closedTicketId = uuidv7();
  const callId = uuidv7();
  const responseId = uuidv7();
  const campaignId = uuidv7();
  await publishForeignEvent(app, 'service.ticket.opened', { ticketId, accountId: account.id, contactId: contact.id, code: 'SR-202611-00042', subject: 'Printer jams', priority: 'high', category: 'repair', channel: 'phone', openedAt: '2026-11-20T09:00:00.000Z' });
  await publishForeignEvent(app, 'service.ticket.opened', { ticketId: closedTicketId, accountId: account.id, subject: 'Invoice question', openedAt: '2026-11-19T09:00:00.000Z' });
  await publishForeignEvent(app, 'call-center.call.ended', { callId, direction: 'inbound', customerNumber: '+1 (555) 0100', startedAt: '2026-11-21T10:00:00.000Z', endedAt: '2026-11-21T10:05:00.000Z', talkSeconds: 280, disposition: 'answered', subject: 'Ticket follow-up' });
  await publishForeignEvent(app, 'marketing.campaign-response.received', { responseId, campaignId, campaignName: 'Autumn webinar', responseType: 'registration', email: 'WILE@acme.example', lastName: 'Coyote', respondedAt: '2026-11-18T08:00:00.000Z' });
  await publishForeignEvent(app, 'call-center.call.ended', { callId: uuidv7(), direction: 'inbound', customerNumber: '+49 30 000000', startedAt: '2026-11-21T11:00:00.000Z', endedAt: '2026-11-21T11:01:00.000Z' });
  await drainEvents(app);
  // The second ticket closes afterwards (its own later event).
  await publishForeignEvent(app, 'service.ticket.closed', { ticketId: closedTicketId, resolution: 'closed', closedAt: '2026-11-22T09:00:00.000Z' });
  await drainEvents(app);

  const res = await app.http.get(view(account.id)).set(rep.auth).expect(200);
  expect(res.body.account).toMatchObject({ id: account.id, name: account.name });
  expect(res.body.contacts.map((c: { id: string }) => c.id)).toEqual([contact.id]);
  expect(res.body.openOpportunities.map((o: { id: string }) => o.id)).toEqual([open.id]);
  expect(res.body.recentActivities.map((a: { id: string }) => a.id)).toEqual([activity.id]);
  expect(res.body.openServiceTickets).toEqual([
    {
      kind: 'service-ticket', sourceId: ticketId, contactId: contact.id, status: 'open', title: 'Printer jams', occurredAt: '2026-11-20T09:00:00.000Z', closedAt: null,
      details: { code: 'SR-202611-00042', category: 'repair', priority: 'high', channel: 'phone' },
    },
  ]);
  expect(res.body.recentCalls).toEqual([
    expect.objectContaining({ kind: 'call', sourceId: callId, contactId: contact.id, status: 'answered', closedAt: '2026-11-21T10:05:00.000Z', details: expect.objectContaining({ direction: 'inbound', talkSeconds: 280 }) }),
  ]);
  expect(res.body.campaignTouches).toEqual([
    expect.objectContaining({ kind: 'campaign-response', sourceId: responseId, contactId: contact.id, status: 'registration', title: 'Autumn webinar', details: expect.objectContaining({ campaignId }) }),
  ]);
  expect(res.body.totals).toEqual({ contacts: 1, openOpportunities: 1, openServiceTickets: 1 });
  const rows = await app.sql<{ status: string }>(`SELECT status FROM sales.customer_touch WHERE source_id = $1`, [closedTicketId]);
  expect(rows).toEqual([{ status: 'closed' }]);
});

it('is idempotent: replaying the consumer (read-model rebuild) or a repeated event leaves one touch per record', async () => {
  const account = await given.account(rep);
  const ticketId = uuidv7();
  const payload = { ticketId, accountId: account.id, subject: 'Once', openedAt: '2026-11-20T09:00:00.000Z' };
  await publishForeignEvent(app, 'service.ticket.opened', payload);
  await publishForeignEvent(app, 'service.ticket.closed', { ticketId, resolution: 'cancelled', closedAt: '2026-11-20T10:00:00.000Z' });
  await drainEvents(app);
  expect(await app.get(EventReplay).replay('sales.customer-touch.service-ticket', new Date(0))).toBeGreaterThanOrEqual(2);
  await drainEvents(app);
  await publishForeignEvent(app, 'service.ticket.opened', payload);
  await drainEvents(app);
  expect(await app.sql(`SELECT count(*)::int AS n FROM sales.customer_touch WHERE source_id = $1`, [ticketId])).toEqual([{ n: 1 }]);
  const res = await app.http.get(view(account.id)).set(rep.auth).expect(200);
  expect(res.body.openServiceTickets).toEqual([expect.objectContaining({ sourceId: ticketId, status: 'open' })]);
  await publishForeignEvent(app, 'service.ticket.closed', { ticketId, closedAt: '2026-11-21T10:00:00.000Z' });
  await drainEvents(app);
  expect((await app.http.get(view(account.id)).set(rep.auth).expect(200)).body.openServiceTickets).toEqual([]);
});

it('ignores touches it cannot place: unknown account, ambiguous or no contact match', async () => {
  const before = await app.sql(`SELECT count(*)::int AS n FROM sales.customer_touch`);
  await publishForeignEvent(app, 'service.ticket.opened', { ticketId: uuidv7(), accountId: uuidv7(), subject: 'Stranger', openedAt: '2026-11-20T09:00:00.000Z' });
  await publishForeignEvent(app, 'marketing.campaign-response.received', { responseId: uuidv7(), campaignId: uuidv7(), email: 'nobody@nowhere.example' });
  await drainEvents(app);
  expect(await app.sql(`SELECT count(*)::int AS n FROM sales.customer_touch`)).toEqual(before);
  expect(await app.sql(`SELECT count(*)::int AS n FROM platform.event_deliveries WHERE consumer LIKE 'sales.customer-touch.%' AND status <> 'done'`)).toEqual([{ n: 0 }]);
});

it('follows the account’s data scope (404), narrows the rest to the caller’s scope, and needs sales.account:read (403)', async () => {
  const account = await given.account(rep);
  const contact = await given.contact(rep, account.id);
  const managersOpportunity = await given.opportunity(manager, account.id);
  expectProblem(await app.http.get(view(account.id)).set(otherRep.auth), 404);
  expectProblem(await app.http.get(view(uuidv7())).set(rep.auth), 404);
  const mine = ok(await app.http.get(view(account.id)).set(rep.auth), 200);
  expect(mine.openOpportunities).toEqual([]);
  expect(mine.contacts.map((c: { id: string }) => c.id)).toEqual([contact.id]);
  const managers = ok(await app.http.get(view(account.id)).set(manager.auth), 200);
  expect(managers.openOpportunities.map((o: { id: string }) => o.id)).toEqual([managersOpportunity.id]);
  ok(await app.http.post('/api/v1/identity/roles').set(admin.auth).send({ key: 'lead-reader', name: 'Reads leads', permissions: ['sales.lead:read'], dataScopes: {} }));
  const leadReader = await given.identity.user({ roles: ['lead-reader'] });
  expectProblem(await app.http.get(view(account.id)).set(leadReader.auth), 403);
  expectProblem(await app.http.get('/api/v1/sales/accounts/not-a-uuid/360').set(rep.auth), 400);
});
