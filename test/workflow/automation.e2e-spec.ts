import { drainEvents, published } from '../support/events';
import { identityFixtures, type FixtureUser } from '../support/identity';
import { expectProblem, startTestApp, type TestApp } from '../support/test-app';
import { ClsService } from 'nestjs-cls';
import { AutomationService } from '../../src/contexts/workflow/application/automation.service';
import { TestSubjects, WorkflowTestModule } from './workflow-test.module';

let app: TestApp;
let adminAuth: { authorization: string };
let owner: FixtureUser;
const API = '/api/v1/workflow/automation-rules';

beforeAll(async () => {
  app = await startTestApp({ extraModules: [WorkflowTestModule] });
  const id = identityFixtures(app);
  adminAuth = { authorization: `Bearer ${await id.adminToken()}` };
  owner = await id.user({ roles: ['sales-rep'] });
});
afterAll(() => app?.close());

const opportunityRule = {
  name: 'Transaction over 10,000 → opportunity',
  eventType: 'test.transaction.recorded',
  condition: { field: 'amountMinor', op: 'gt', value: 1_000_000 },
  action: {
    type: 'command',
    command: 'opportunity-requested',
    payload: { accountId: { field: 'accountId' }, name: { value: 'Large transaction follow-up' }, amountMinor: { field: 'amountMinor' }, currency: { field: 'currency' }, ownerId: { field: 'ownerId' } },
  },
};

it('transaction over 10,000 → one opportunity-requested command per event, logged', async () => {
  const rule = await app.http.post(API).set(adminAuth).send(opportunityRule);
  expect(rule.status).toBe(201);
  const subjects = app.get(TestSubjects);
  const big = await subjects.publish('test.transaction.recorded', { accountId: 'a0000000-0000-4000-8000-000000000001', amountMinor: 1_500_000, currency: 'EUR', ownerId: owner.id });
  const small = await subjects.publish('test.transaction.recorded', { accountId: 'a0000000-0000-4000-8000-000000000002', amountMinor: 900_000, currency: 'EUR', ownerId: owner.id });
  await drainEvents(app);
  const commands = await published(app, 'workflow.automation.opportunity-requested');
  expect(commands.map((c) => c.payload)).toEqual([
    { accountId: 'a0000000-0000-4000-8000-000000000001', name: 'Large transaction follow-up', amountMinor: 1_500_000, currency: 'EUR', ownerId: owner.id, sourceEventId: big.id },
  ]);
  const log = await app.http.get(`${API}/${rule.body.id}/executions`).set(adminAuth);
  expect(log.body.items.map((x: { eventId: string; status: string }) => [x.eventId, x.status]).sort()).toEqual([[big.id, 'executed'], [small.id, 'skipped']].sort());

  // A redelivery of the same event does not fire the rule again (execution row per rule × event).
  const fired = await app.get(ClsService).run(() => app.get(AutomationService).onEvent(big));
  expect(fired).toBe(0);
  await drainEvents(app);
  expect(await published(app, 'workflow.automation.opportunity-requested')).toHaveLength(1);
  expect((await app.http.get(`${API}/${rule.body.id}/executions`).set(adminAuth)).body.items).toHaveLength(2);

  // Disabled rules do nothing.
  const off = await app.http.patch(`${API}/${rule.body.id}`).set(adminAuth).set('if-match', `"${rule.body.version}"`).send({ enabled: false });
  expect(off.body).toMatchObject({ enabled: false, version: rule.body.version + 1 });
  await subjects.publish('test.transaction.recorded', { accountId: 'a0000000-0000-4000-8000-000000000003', amountMinor: 5_000_000, currency: 'EUR', ownerId: owner.id });
  await drainEvents(app);
  expect(await published(app, 'workflow.automation.opportunity-requested')).toHaveLength(1);
});

it('create-task puts an action task in the owner’s inbox; notify publishes a notification request', async () => {
  await app.http.post(API).set(adminAuth).send({ name: 'Follow up', eventType: 'test.lead.captured', action: { type: 'create-task', title: 'Call the lead', assignee: { type: 'owner', field: 'ownerId' }, dueIn: 'P1D' } });
  await app.http.post(API).set(adminAuth).send({ name: 'Tell admins', eventType: 'test.lead.captured', condition: { field: 'hot', op: 'eq', value: true }, action: { type: 'notify', recipients: { type: 'role', roleKey: 'admin' }, message: 'Hot lead' } });
  const event = await app.get(TestSubjects).publish('test.lead.captured', { ownerId: owner.id, hot: true });
  await drainEvents(app);
  const inbox = await app.http.get('/api/v1/workflow/tasks').query({ assignee: 'me', status: 'open' }).set(owner.auth);
  expect(inbox.body.items).toEqual([expect.objectContaining({ kind: 'action', title: 'Call the lead', approvalId: null })]);
  const done = await app.http.post(`/api/v1/workflow/tasks/${inbox.body.items[0].id}/complete`).set(owner.auth).send({ comment: 'called' });
  expect(done.body).toMatchObject({ status: 'done', comment: 'called' });
  const notes = await published<{ sourceEventId: string; recipientIds: string[] }>(app, 'workflow.automation.notification-requested');
  expect(notes.map((n) => n.payload.sourceEventId)).toEqual([event.id]);
  expect(notes[0].payload.recipientIds.length).toBeGreaterThanOrEqual(1);
});

it('refuses invalid rules with the path of every problem', async () => {
  const res = await app.http.post(API).set(adminAuth).send({ name: 'bad', eventType: 'workflow.automation.opportunity-requested', condition: { field: 'x', op: 'between' }, action: { type: 'command', command: 'opportunity-requested', payload: {} } });
  expectProblem(res, 400, 'validation-failed');
  expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
    'eventType',
    'condition.op',
    'action.payload.accountId',
    'action.payload.name',
    'action.payload.amountMinor',
    'action.payload.currency',
    'action.payload.ownerId',
  ]);
  expectProblem(await app.http.post(API).set(owner.auth).send(opportunityRule), 403);
});

it('delivers to the automation consumer only the event types some rule names', async () => {
  const subjects = app.get(TestSubjects);
  const deliveries = (eventId: string) =>
    app.sql(`SELECT 1 FROM platform.event_deliveries WHERE event_id = $1 AND consumer = 'workflow.automation-rules'`, [eventId]);
  const before = await subjects.publish('test.invoice.noted', { amountMinor: 10 });
  expect(await deliveries(before.id)).toHaveLength(0);

  await app.http.post(API).set(adminAuth).send({ ...opportunityRule, name: 'Invoices', eventType: 'test.invoice.noted' }).expect(201);
  const after = await subjects.publish('test.invoice.noted', { amountMinor: 2_000_000, accountId: 'a0000000-0000-4000-8000-000000000009', currency: 'EUR', ownerId: owner.id });
  expect(await deliveries(after.id)).toHaveLength(1);
  await drainEvents(app);
  expect((await published(app, 'workflow.automation.opportunity-requested')).map((c) => c.payload.sourceEventId)).toContain(after.id);
});
