import { Clock } from '../../src/platform/scheduling/clock';
import { SchedulerTestHook } from '../../src/platform/scheduling/scheduler-test-hook';
import { BirthdayRemindersJob } from '../../src/contexts/sales/application/birthday-reminders.job';
import { published } from '../support/events';
import { authHeader, type FixtureUser } from '../support/identity';
import { expectProblem, type TestApp } from '../support/test-app';
import { ok, salesFixtures, startSalesApp } from './given';

let app: TestApp;
let given: ReturnType<typeof salesFixtures>;
let admin: { auth: { authorization: string } };
let unitId: string;
let manager: FixtureUser;
let rep: FixtureUser;
let otherRep: FixtureUser;
let finance: FixtureUser;

const activities = '/api/v1/sales/activities';
const at = (iso: string) => `2026-03-02T${iso}:00.000Z`;

beforeAll(async () => {
  app = await startSalesApp();
  given = salesFixtures(app);
  admin = { auth: authHeader(await given.identity.adminToken()) };
  const team = await given.team(2);
  ({ manager, unitId } = team);
  [rep, otherRep] = team.reps;
  finance = await given.identity.user({ roles: ['finance'] });
});
afterAll(() => app?.close());

describe('activities and the calendar', () => {
  it('books an activity related to an account; publishes created; completes with an outcome', async () => {
    const account = await given.account(rep);
    const res = await app.http.post(activities).set(rep.auth).send({ type: 'visit', subject: 'Site visit', startAt: at('13:00'), endAt: at('14:00'), related: { type: 'account', id: account.id }, participantIds: [otherRep.id] }).expect(201);
    expect(res.body).toMatchObject({ type: 'visit', status: 'open', ownerId: rep.id, accountId: account.id, related: { type: 'account', id: account.id }, participantIds: [otherRep.id] });
    const created = (await published(app, 'sales.activity.created')).find((e) => e.aggregateId === res.body.id);
    expect(created?.payload).toEqual({ activityId: res.body.id, type: 'visit', subject: 'Site visit', ownerId: rep.id, startAt: at('13:00'), endAt: at('14:00'), relatedType: 'account', relatedId: account.id, accountId: account.id });
    const done = ok(await app.http.post(`${activities}/${res.body.id}/complete`).set(rep.auth).set('if-match', '"1"').send({ outcome: 'Signed LOI' }), 200);
    expect(done).toMatchObject({ status: 'completed', outcome: 'Signed LOI', version: 2 });
    expectProblem(await app.http.post(`${activities}/${res.body.id}/complete`).set(rep.auth).send({}), 409, 'sales.activity.illegal-transition');
    const completed = (await published(app, 'sales.activity.completed')).find((e) => e.aggregateId === res.body.id);
    expect(completed?.payload).toMatchObject({ activityId: res.body.id, outcome: 'Signed LOI', accountId: account.id, relatedType: 'account' });
  });

  it('reports overlapping bookings of the same owner with 409 and the conflicting ids, unless allowConflict', async () => {
    const a = await given.activity(otherRep, { startAt: at('09:00'), endAt: at('10:00') });
    const b = await given.activity(otherRep, { startAt: at('10:30'), endAt: at('11:30') });
    await given.activity(otherRep, { type: 'task', subject: 'Point task', startAt: at('09:30'), endAt: null });
    await given.activity(rep, { startAt: at('09:00'), endAt: at('12:00') });
    const res = await app.http.post(activities).set(otherRep.auth).send({ type: 'meeting', subject: 'Clash', startAt: at('09:45'), endAt: at('10:45') });
    expectProblem(res, 409, 'sales.activity.calendar-conflict');
    expect(res.body.conflictingIds).toEqual([a.id, b.id]);
    await app.http.post(activities).set(otherRep.auth).send({ type: 'meeting', subject: 'Back to back', startAt: at('10:00'), endAt: at('10:30') }).expect(201);
    await app.http.post(activities).set(otherRep.auth).send({ type: 'meeting', subject: 'Clash anyway', startAt: at('09:45'), endAt: at('10:45'), allowConflict: true }).expect(201);
    const moved = await app.http.patch(`${activities}/${b.id}`).set(otherRep.auth).send({ startAt: at('09:15'), endAt: at('09:50') });
    expectProblem(moved, 409, 'sales.activity.calendar-conflict');
  });

  it('serves a user’s or an org unit’s calendar for a range, within scope', async () => {
    const from = '2026-04-06T00:00:00.000Z';
    const mine = await given.activity(rep, { startAt: '2026-04-06T09:00:00.000Z', endAt: '2026-04-06T10:00:00.000Z' });
    const theirs = await given.activity(otherRep, { startAt: '2026-04-07T09:00:00.000Z', endAt: '2026-04-07T10:00:00.000Z' });
    await given.activity(rep, { startAt: '2026-05-06T09:00:00.000Z', endAt: '2026-05-06T10:00:00.000Z' });
    const week = { from, to: '2026-04-13T00:00:00.000Z' };
    const teamCal = ok(await app.http.get('/api/v1/sales/calendar').set(manager.auth).query({ orgUnitId: unitId, ...week }), 200);
    expect(teamCal.items.map((a: { id: string }) => a.id)).toEqual([mine.id, theirs.id]);
    const repCal = ok(await app.http.get('/api/v1/sales/calendar').set(rep.auth).query({ orgUnitId: unitId, ...week }), 200);
    expect(repCal.items.map((a: { id: string }) => a.id)).toEqual([mine.id]);
    const userCal = ok(await app.http.get('/api/v1/sales/calendar').set(manager.auth).query({ ownerId: otherRep.id, ...week }), 200);
    expect(userCal.items.map((a: { id: string }) => a.id)).toEqual([theirs.id]);
    expectProblem(await app.http.get('/api/v1/sales/calendar').set(rep.auth).query({ ownerId: rep.id, from, to: '2027-04-13T00:00:00.000Z' }), 400);
    expectProblem(await app.http.get('/api/v1/sales/calendar').set(rep.auth).query({ from, to: week.to }), 400);
  });

  it('validates (400), checks permission (403) and scope (404), If-Match (412) and Idempotency-Key', async () => {
    const bad = await app.http.post(activities).set(rep.auth).send({ type: 'party', subject: '', startAt: 'tomorrow', related: { type: 'planet', id: 'x' }, participantIds: ['nope'] });
    expectProblem(bad, 400);
    expect(new Set(bad.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['type', 'subject', 'startAt', 'related.type', 'related.id', 'participantIds']));
    expectProblem(await app.http.post(activities).set(rep.auth).send({ type: 'call', subject: 'x', startAt: at('10:00'), endAt: at('09:00') }), 400);
    expectProblem(await app.http.post(activities).set(finance.auth).send({ type: 'call', subject: 'x', startAt: at('10:00') }), 403);
    const hiddenAccount = await given.account(otherRep);
    expectProblem(await app.http.post(activities).set(rep.auth).send({ type: 'call', subject: 'x', startAt: at('10:00'), related: { type: 'account', id: hiddenAccount.id } }), 422, 'sales.activity.unknown-related');
    const theirs = await given.activity(otherRep, { type: 'task', startAt: '2026-06-01T09:00:00.000Z', endAt: null });
    expectProblem(await app.http.get(`${activities}/${theirs.id}`).set(rep.auth), 404);
    expectProblem(await app.http.delete(`${activities}/${theirs.id}`).set(rep.auth), 404);
    await app.http.patch(`${activities}/${theirs.id}`).set(otherRep.auth).set('if-match', '"1"').send({ subject: 'Renamed' }).expect(200);
    expectProblem(await app.http.patch(`${activities}/${theirs.id}`).set(otherRep.auth).set('if-match', '"1"').send({ subject: 'Again' }), 412);
    const body = { type: 'email', subject: given.unique('Mail'), startAt: '2026-06-01T10:00:00.000Z' };
    const a = await app.http.post(activities).set(rep.auth).set('idempotency-key', 'act-1').send(body).expect(201);
    const b = await app.http.post(activities).set(rep.auth).set('idempotency-key', 'act-1').send(body).expect(201);
    expect(b.body.id).toBe(a.body.id);
    await app.http.delete(`${activities}/${theirs.id}`).set(otherRep.auth).expect(204);
  });

  it('fires a reminder once when the clock passes its time; moving or completing re-arms or cancels it', async () => {
    const clock = app.get(Clock);
    const scheduler = app.get(SchedulerTestHook);
    const start = new Date(clock.now().getTime() + 500 * 86_400_000);
    const iso = (offsetMin: number) => new Date(start.getTime() + offsetMin * 60_000).toISOString();
    clock.set(start);
    try {
      const reminded = await given.activity(rep, { subject: 'Remind me', startAt: iso(60), endAt: iso(90), reminderAt: iso(30) });
      const cancelled = await given.activity(rep, { subject: 'Done early', startAt: iso(120), endAt: iso(150), reminderAt: iso(30) });
      await app.http.post(`${activities}/${cancelled.id}/complete`).set(rep.auth).send({}).expect(200);
      const reminders = async () => (await published(app, 'sales.activity.reminder-due')).filter((e) => [reminded.id, cancelled.id].includes(e.aggregateId));
      clock.set(iso(29));
      await scheduler.runDue(clock.now());
      expect(await reminders()).toEqual([]);
      clock.set(iso(31));
      await scheduler.runDue(clock.now());
      await scheduler.runDue(clock.now());
      clock.set(iso(45));
      await scheduler.runDue(clock.now());
      const fired = await reminders();
      expect(fired).toHaveLength(1);
      expect(fired[0].payload).toEqual({ activityId: reminded.id, ownerId: rep.id, subject: 'Remind me', startAt: iso(60), reminderAt: iso(30) });
      expect(ok(await app.http.get(`${activities}/${reminded.id}`).set(rep.auth), 200).reminderSentAt).toBe(iso(31));
    } finally {
      clock.resume();
    }
  });
});

describe('birthday care tasks', () => {
  it('creates one task per contact and year for the owner, N days ahead', async () => {
    const clock = app.get(Clock);
    const account = await given.account(rep);
    const soon = await given.contact(rep, account.id, { firstName: 'Birthday', lastName: 'Soon', birthday: '1980-08-13' });
    await given.contact(rep, account.id, { lastName: 'Later', birthday: '1980-08-20' });
    clock.set('2026-08-10T05:00:00.000Z');
    try {
      const job = app.get(BirthdayRemindersJob);
      expect(await job.createTasks()).toBe(1);
      expect(await job.createTasks()).toBe(0);
      const tasks = await app.sql(`SELECT type, owner_id, related_type, related_id, start_at, subject FROM sales.activity WHERE system_key LIKE 'birthday:%'`);
      expect(tasks).toEqual([{ type: 'task', owner_id: rep.id, related_type: 'contact', related_id: soon.id, start_at: new Date('2026-08-13T09:00:00.000Z'), subject: 'Birthday of Birthday Soon on 2026-08-13' }]);
    } finally {
      clock.resume();
    }
  });
});

describe('ownership transfer', () => {
  it('moves accounts, contacts, leads, open opportunities and open activities in one transaction, audited', async () => {
    const leaver = await given.identity.user({ roles: ['sales-rep'], orgUnitId: unitId });
    const heir = await given.identity.user({ roles: ['sales-rep'], orgUnitId: unitId });
    await given.method(admin);
    const acc = await given.account(leaver);
    await given.contact(leaver, acc.id);
    await given.lead(leaver);
    const open = await given.opportunity(leaver, acc.id);
    const won = await given.opportunity(leaver, acc.id);
    await app.http.post(`/api/v1/sales/opportunities/${won.id}/win`).set(leaver.auth).expect(200);
    await given.activity(leaver, { type: 'task', startAt: '2026-07-01T09:00:00.000Z', endAt: null });
    const done = await given.activity(leaver, { type: 'task', startAt: '2026-07-02T09:00:00.000Z', endAt: null });
    await app.http.post(`${activities}/${done.id}/complete`).set(leaver.auth).send({}).expect(200);

    // A rep may not move books at all; a manager of another team may, but not this team's.
    expectProblem(await app.http.post('/api/v1/sales/ownership-transfers').set(rep.auth).send({ fromUserId: leaver.id, toUserId: heir.id }), 403);
    const elsewhere = await given.identity.orgUnit({ type: 'team' });
    const otherManager = await given.identity.user({ roles: ['sales-manager'], orgUnitId: elsewhere.id });
    expectProblem(await app.http.post('/api/v1/sales/ownership-transfers').set(otherManager.auth).send({ fromUserId: leaver.id, toUserId: heir.id }), 422, 'sales.owner.unknown-user');
    expectProblem(await app.http.post('/api/v1/sales/ownership-transfers').set(finance.auth).send({ fromUserId: leaver.id, toUserId: heir.id }), 403);
    expectProblem(await app.http.post('/api/v1/sales/ownership-transfers').set(manager.auth).send({ fromUserId: leaver.id, toUserId: 'x' }), 400);
    const res = ok(await app.http.post('/api/v1/sales/ownership-transfers').set(manager.auth).send({ fromUserId: leaver.id, toUserId: heir.id }));
    expect(res.counts).toEqual({ accounts: 1, contacts: 1, leads: 1, opportunities: 1, activities: 1 });
    expect(ok(await app.http.get(`/api/v1/sales/opportunities/${open.id}`).set(heir.auth), 200)).toMatchObject({ ownerId: heir.id, version: 2 });
    expect(ok(await app.http.get(`/api/v1/sales/opportunities/${won.id}`).set(leaver.auth), 200).ownerId).toBe(leaver.id);
    expect(await app.sql(`SELECT count(*)::int AS n FROM sales.account WHERE owner_id = $1`, [leaver.id])).toEqual([{ n: 0 }]);
    const event = (await published(app, 'sales.ownership-transfer.completed')).find((e) => e.aggregateId === res.id);
    expect(event?.payload).toEqual({ transferId: res.id, fromUserId: leaver.id, toUserId: heir.id, accounts: 1, contacts: 1, leads: 1, opportunities: 1, activities: 1 });
    expect(await app.sql(`SELECT action, actor_id FROM platform.audit_entries WHERE record_type = 'sales.ownership-transfer' AND record_id = $1`, [res.id])).toEqual([{ action: 'create', actor_id: manager.id }]);
  });
});
