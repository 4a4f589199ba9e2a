import { drainEvents, published } from '../support/events';
import { identityFixtures, type FixtureUser } from '../support/identity';
import { expectProblem, startTestApp, type TestApp } from '../support/test-app';
import { Clock } from '../../src/platform/scheduling/clock';
import { SchedulerTestHook } from '../../src/platform/scheduling/scheduler-test-hook';
import { StepTimeouts } from '../../src/contexts/workflow/application/step-timeouts.service';
import { TEST_SUBJECT, TestResultConsumer, TestSubjects, WorkflowTestModule } from './workflow-test.module';

let app: TestApp;
let adminAuth: { authorization: string };
let adminId: string;
let director: FixtureUser;
let manager: FixtureUser;
let deputy: FixtureUser;
let rep: FixtureUser;
let rep2: FixtureUser;
let loner: FixtureUser;
let panel: FixtureUser[];
let panelRequester: FixtureUser;

const T0 = new Date('2031-03-03T09:00:00.000Z');
const HOUR = 3_600_000;
const API = '/api/v1/workflow';

beforeAll(async () => {
  app = await startTestApp({ extraModules: [WorkflowTestModule] });
  app.get(Clock).set(T0);
  const id = identityFixtures(app);
  adminAuth = { authorization: `Bearer ${await id.adminToken()}` };
  adminId = (await app.http.get('/api/v1/auth/me').set(adminAuth)).body.id;
  const region = await id.orgUnit({ type: 'region' });
  const team = await id.orgUnit({ type: 'team', parentId: region.id });
  const panelUnit = await id.orgUnit({ type: 'team', parentId: region.id });
  director = await id.user({ roles: ['sales-director'], orgUnitId: region.id });
  manager = await id.user({ roles: ['sales-manager'], orgUnitId: team.id, managerId: director.id });
  deputy = await id.user({ roles: ['sales-manager'], orgUnitId: team.id, managerId: director.id });
  rep = await id.user({ roles: ['sales-rep'], orgUnitId: team.id, managerId: manager.id });
  rep2 = await id.user({ roles: ['sales-rep'], orgUnitId: team.id, managerId: manager.id });
  loner = await id.user({ roles: ['sales-rep'], orgUnitId: team.id });
  panel = [
    await id.user({ roles: ['sales-manager'], orgUnitId: panelUnit.id }),
    await id.user({ roles: ['sales-manager'], orgUnitId: panelUnit.id }),
    await id.user({ roles: ['sales-manager'], orgUnitId: panelUnit.id }),
  ];
  panelRequester = await id.user({ roles: ['sales-rep'], orgUnitId: panelUnit.id });

  // The worked example: discount ≤ 10% auto; 10–20% manager; > 20% manager then director.
  await define({
    key: 'quote-discount',
    subjectType: TEST_SUBJECT,
    name: 'Quote discount',
    entryCriteria: { field: 'attributes.discountPct', op: 'gt', value: 10 },
    steps: [
      { name: 'Manager', approver: { type: 'manager' }, mode: 'any' },
      { name: 'Director', condition: { field: 'attributes.discountPct', op: 'gt', value: 20 }, approver: { type: 'role', roleKey: 'sales-director' }, mode: 'any' },
    ],
  });
  for (const mode of ['any', 'all']) {
    await define({ key: `panel-${mode}`, subjectType: 'test.panel', name: `Panel ${mode}`, entryCriteria: { field: 'attributes.mode', op: 'eq', value: mode }, steps: [{ name: 'Panel', approver: { type: 'role', roleKey: 'sales-manager' }, mode }] });
  }
  await define({ key: 'escalating', subjectType: 'test.escalating', name: 'Escalating', steps: [{ name: 'Manager', approver: { type: 'manager' }, mode: 'any', timeout: { after: 'PT48H', action: 'escalate' } }] });
  await define({ key: 'auto-approving', subjectType: 'test.auto-approving', name: 'Auto', steps: [{ name: 'Manager', approver: { type: 'manager' }, mode: 'any', timeout: { after: 'PT1H', action: 'auto-approve' } }] });
  await define({ key: 'auto-rejecting', subjectType: 'test.auto-rejecting', name: 'Auto reject', steps: [{ name: 'Manager', approver: { type: 'manager' }, mode: 'any', timeout: { after: 'PT2H', action: 'auto-reject' } }] });
  await define({ key: 'reminding', subjectType: 'test.reminding', name: 'Reminding', steps: [{ name: 'Manager', approver: { type: 'manager' }, mode: 'any', timeout: { after: 'P1D', action: 'remind' } }] });
});
afterAll(() => app?.close());

async function define(body: Record<string, unknown>): Promise<{ id: string; version: number }> {
  const res = await app.http.post(`${API}/process-definitions`).set(adminAuth).send(body);
  if (res.status !== 201) throw new Error(`define ${JSON.stringify(res.body)}`);
  return res.body;
}

interface Instance {
  id: string;
  status: string;
  definition_version: number | null;
  automatic: boolean;
  decided_by: string | null;
}

/** Publishes an approval request as an owning context would, delivers it, returns the instance. */
async function requestApproval(requester: FixtureUser, over: Record<string, unknown> = {}): Promise<Instance & { subjectId: string }> {
  const subjectId = await app.get(TestSubjects).requestApproval({ requesterId: requester.id, requesterOrgUnitId: null, ...over });
  await drainEvents(app);
  const [row] = await app.sql<Instance>(`SELECT id, status, definition_version, automatic, decided_by FROM workflow.approval_instance WHERE subject_id = $1 ORDER BY created_at DESC LIMIT 1`, [subjectId]);
  if (!row) throw new Error(`no instance for ${subjectId}`);
  return { ...row, subjectId };
}

const quote = (requester: FixtureUser, discountPct: number) => requestApproval(requester, { attributes: { discountPct } });

async function openTasks(user: FixtureUser, approvalId?: string): Promise<Array<Record<string, any>>> {
  const res = await app.http.get(`${API}/tasks`).query({ assignee: 'me', status: 'open', ...(approvalId ? { approvalId } : {}) }).set(user.auth);
  expect(res.status).toBe(200);
  return res.body.items;
}

async function decide(user: FixtureUser, taskId: string, verb: 'approve' | 'reject', comment = 'ok') {
  const res = await app.http.post(`${API}/tasks/${taskId}/${verb}`).set(user.auth).send({ comment });
  await drainEvents(app);
  return res;
}

const status = async (id: string) => (await app.sql<{ status: string }>(`SELECT status FROM workflow.approval_instance WHERE id = $1`, [id]))[0].status;
const results = async (approvalId: string) => (await published<{ approvalId: string; outcome: string; automatic: boolean; decidedBy: string | null }>(app, 'workflow.approval.*')).filter((e) => e.payload.approvalId === approvalId && ['approved', 'rejected', 'recalled'].includes(e.type.split('.')[2]));

async function runTimersAt(at: Date) {
  app.get(Clock).set(at);
  await app.get(SchedulerTestHook).runDue(at);
  await drainEvents(app);
}

describe('worked example: quote discount', () => {
  it('≤ 10% is approved at once and recorded', async () => {
    const i = await quote(rep, 10);
    expect(i).toMatchObject({ status: 'approved', automatic: true, definition_version: null });
    const detail = await app.http.get(`${API}/approvals/${i.id}`).set(rep.auth);
    expect(detail.body.history.map((h: { action: string }) => h.action)).toEqual(['started', 'auto-approved', 'completed:approved']);
    expect((await results(i.id)).map((e) => e.payload)).toEqual([expect.objectContaining({ outcome: 'approved', automatic: true, decidedBy: null })]);
  });

  it('10.01–20% needs the manager only', async () => {
    const i = await quote(rep, 10.01);
    expect(i.status).toBe('running');
    const [task] = await openTasks(manager, i.id);
    expect(task).toMatchObject({ subjectType: TEST_SUBJECT, subjectId: i.subjectId, subjectCode: expect.stringMatching(/^Q-/), subjectTitle: 'Quote for Acme', amountMinor: 1_000_000, currency: 'EUR', requesterId: rep.id, stepName: 'Manager', via: 'manager' });
    expect((await decide(manager, task.id, 'approve')).status).toBe(200);
    expect(await status(i.id)).toBe('approved');
    expect(await app.sql(`SELECT count(*)::int AS n FROM workflow.task WHERE instance_id = $1`, [i.id])).toEqual([{ n: 1 }]);
    expect((await results(i.id)).map((e) => [e.type, e.payload.decidedBy])).toEqual([['workflow.approval.approved', manager.id]]);
  });

  it('> 20% needs the manager, then the director', async () => {
    const i = await quote(rep, 25);
    const [m] = await openTasks(manager, i.id);
    expect(await openTasks(director, i.id)).toEqual([]);
    await decide(manager, m.id, 'approve');
    expect(await status(i.id)).toBe('running');
    const [d] = await openTasks(director, i.id);
    expect(d).toMatchObject({ stepName: 'Director', via: expect.stringMatching(/^role:sales-director@/) });
    await decide(director, d.id, 'approve', 'fine');
    expect(await status(i.id)).toBe('approved');
    expect((await results(i.id)).map((e) => e.payload)).toEqual([expect.objectContaining({ outcome: 'approved', decidedBy: director.id, automatic: false })]);
  });

  it('the manager rejects 25% → rejected, the director never gets a task', async () => {
    const i = await quote(rep, 25);
    const [m] = await openTasks(manager, i.id);
    expect((await decide(manager, m.id, 'reject', 'too generous')).body).toMatchObject({ status: 'rejected', comment: 'too generous' });
    expect(await status(i.id)).toBe('rejected');
    expect(await app.sql(`SELECT count(*)::int AS n FROM workflow.task t JOIN workflow.approval_step s ON s.id = t.step_id WHERE t.instance_id = $1 AND s.step_index = 1`, [i.id])).toEqual([{ n: 0 }]);
    expect((await results(i.id)).map((e) => e.payload)).toEqual([expect.objectContaining({ outcome: 'rejected', comment: 'too generous', decidedBy: manager.id })]);
  });

  it('simulation shows the same, creating nothing', async () => {
    const before = await app.sql(`SELECT (SELECT count(*) FROM workflow.approval_instance) + (SELECT count(*) FROM workflow.task) AS n`);
    const sim = (discountPct: number) => app.http.post(`${API}/process-definitions/simulate`).set(rep.auth).send({ subjectType: TEST_SUBJECT, requesterId: rep.id, amountMinor: 5000, attributes: { discountPct } });
    expect((await sim(5)).body).toEqual({ definition: null, outcome: 'auto-approved', steps: [] });
    const res = await sim(25);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ definition: { key: 'quote-discount', version: 1 }, outcome: 'approval-required' });
    expect(res.body.steps.map((s: { applies: boolean; approvers: { userId: string }[] }) => [s.applies, s.approvers.map((a) => a.userId)])).toEqual([
      [true, [manager.id]],
      [true, [director.id]],
    ]);
    expect((await sim(15)).body.steps.map((s: { applies: boolean }) => s.applies)).toEqual([true, false]);
    expect(await app.sql(`SELECT (SELECT count(*) FROM workflow.approval_instance) + (SELECT count(*) FROM workflow.task) AS n`)).toEqual(before);
  });
});

describe('decisions', () => {
  it('a second decision on a closed task is 409; the identical repeat answers the original result', async () => {
    const i = await quote(rep, 15);
    const [t] = await openTasks(manager, i.id);
    const first = await decide(manager, t.id, 'approve', 'yes');
    const again = await decide(manager, t.id, 'approve', 'yes');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expectProblem(await decide(manager, t.id, 'reject'), 409, 'workflow.task.closed');
    expect(await results(i.id)).toHaveLength(1);
  });

  it('only the assignee decides; others out of scope get 404', async () => {
    const i = await quote(rep, 15);
    const [t] = await openTasks(manager, i.id);
    expectProblem(await decide(rep2, t.id, 'approve'), 404);
    expectProblem(await decide(rep, t.id, 'approve'), 403, 'workflow.task.not-assignee');
    expectProblem(await app.http.get(`${API}/approvals/${i.id}`).set(rep2.auth), 404);
    expect((await app.http.get(`${API}/approvals/${i.id}`).set(manager.auth)).status).toBe(200);
    expect((await app.http.get(`${API}/approvals/${i.id}`).set(adminAuth)).status).toBe(200);
    const mine = await app.http.get(`${API}/approvals`).query({ subjectId: i.subjectId }).set(rep.auth);
    expect(mine.body.items.map((x: { id: string }) => x.id)).toEqual([i.id]);
    expect((await app.http.get(`${API}/approvals`).query({ subjectId: i.subjectId }).set(rep2.auth)).body.items).toEqual([]);
    expect((await app.http.get(`${API}/tasks`).query({ approvalId: i.id }).set(rep2.auth)).body.items).toEqual([]);
    expect((await app.http.get(`${API}/tasks`).query({ approvalId: i.id }).set(rep.auth)).body.items).toHaveLength(1);
  });

  it('all: one rejection rejects', async () => {
    const i = await requestApproval(panelRequester, { subjectType: 'test.panel', attributes: { mode: 'all' } });
    const tasks = await Promise.all(panel.map((u) => openTasks(u, i.id)));
    expect(tasks.map((t) => t.length)).toEqual([1, 1, 1]);
    await decide(panel[0], tasks[0][0].id, 'approve');
    expect(await status(i.id)).toBe('running');
    await decide(panel[1], tasks[1][0].id, 'reject', 'no');
    expect(await status(i.id)).toBe('rejected');
    expect((await app.http.get(`${API}/tasks/${tasks[2][0].id}`).set(panel[2].auth)).body.status).toBe('no-response');
  });

  it('all: unanimous approval approves', async () => {
    const i = await requestApproval(panelRequester, { subjectType: 'test.panel', attributes: { mode: 'all' } });
    for (const u of panel) {
      expect(await status(i.id)).toBe('running');
      await decide(u, (await openTasks(u, i.id))[0].id, 'approve');
    }
    expect(await status(i.id)).toBe('approved');
  });

  it('a panel member who requests it is not on the panel: the other holders decide, and cannot delegate it to them', async () => {
    const i = await requestApproval(panel[0], { subjectType: 'test.panel', attributes: { mode: 'all' } });
    expect(await openTasks(panel[0], i.id)).toEqual([]);
    const [t1] = await openTasks(panel[1], i.id);
    expectProblem(await app.http.post(`${API}/tasks/${t1.id}/delegate`).set(panel[1].auth).send({ toUserId: panel[0].id }), 422, 'workflow.task.delegate-to-requester');
    await decide(panel[1], t1.id, 'approve');
    expect(await status(i.id)).toBe('running');
    await decide(panel[2], (await openTasks(panel[2], i.id))[0].id, 'approve');
    expect(await status(i.id)).toBe('approved');
    expect(await app.sql(`SELECT count(*)::int AS n FROM workflow.task WHERE instance_id = $1 AND assignee_id = $2`, [i.id, panel[0].id])).toEqual([{ n: 0 }]);
  });

  it('any: the first response decides, the others become no-response', async () => {
    const i = await requestApproval(panelRequester, { subjectType: 'test.panel', attributes: { mode: 'any' } });
    const [t] = await openTasks(panel[1], i.id);
    await decide(panel[1], t.id, 'approve');
    expect(await status(i.id)).toBe('approved');
    const rows = await app.sql<{ assignee_id: string; status: string }>(`SELECT assignee_id, status FROM workflow.task WHERE instance_id = $1`, [i.id]);
    expect(Object.fromEntries(rows.map((r) => [r.assignee_id, r.status]))).toEqual({ [panel[0].id]: 'no-response', [panel[1].id]: 'approved', [panel[2].id]: 'no-response' });
    expectProblem(await decide(panel[0], (await app.sql<{ id: string }>(`SELECT id FROM workflow.task WHERE instance_id = $1 AND assignee_id = $2`, [i.id, panel[0].id]))[0].id, 'approve'), 409, 'workflow.task.closed');
  });

  it('two approvers of an any step approving at the same moment: one decision, one approved event', async () => {
    const i = await requestApproval(panelRequester, { subjectType: 'test.panel', attributes: { mode: 'any' } });
    const [a] = await openTasks(panel[0], i.id);
    const [b] = await openTasks(panel[2], i.id);
    const [ra, rb] = await Promise.all([
      app.http.post(`${API}/tasks/${a.id}/approve`).set(panel[0].auth).send({}),
      app.http.post(`${API}/tasks/${b.id}/approve`).set(panel[2].auth).send({}),
    ]);
    await drainEvents(app);
    expect([ra.status, rb.status].sort()).toEqual([200, 409]);
    expect(await app.sql(`SELECT count(*)::int AS n FROM workflow.task WHERE instance_id = $1 AND status = 'approved'`, [i.id])).toEqual([{ n: 1 }]);
    expect((await results(i.id)).map((e) => e.type)).toEqual(['workflow.approval.approved']);
  });

  it('100 concurrent decisions on different tasks all take effect', async () => {
    const instances = await Promise.all(Array.from({ length: 100 }, (_, n) => app.get(TestSubjects).requestApproval({ requesterId: rep.id, attributes: { discountPct: 15 }, title: `bulk ${n}` })));
    await drainEvents(app);
    const tasks = await app.sql<{ id: string; instance_id: string }>(
      `SELECT t.id, t.instance_id FROM workflow.task t JOIN workflow.approval_instance i ON i.id = t.instance_id WHERE i.subject_id = ANY($1) AND t.status = 'open'`,
      [instances],
    );
    expect(tasks).toHaveLength(100);
    const responses = await Promise.all(tasks.map((t, n) => app.http.post(`${API}/tasks/${t.id}/${n % 4 === 0 ? 'reject' : 'approve'}`).set(manager.auth).send({})));
    await drainEvents(app);
    expect(responses.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    const outcome = await app.sql<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM workflow.approval_instance WHERE subject_id = ANY($1) GROUP BY status ORDER BY status`, [instances]);
    expect(outcome).toEqual([{ status: 'approved', n: 75 }, { status: 'rejected', n: 25 }]);
    const events = (await published<{ subjectId: string }>(app, 'workflow.approval.*')).filter((e) => instances.includes(e.payload.subjectId) && /approved|rejected/.test(e.type));
    expect(events).toHaveLength(100);
  });
});

describe('delegation, recall, withdrawal', () => {
  it('a delegation window reroutes new tasks only inside it', async () => {
    const created = await app.http.post(`${API}/delegations`).set(manager.auth).send({ toUserId: deputy.id, startsAt: new Date(T0.getTime() - HOUR).toISOString(), endsAt: new Date(T0.getTime() + HOUR).toISOString(), reason: 'Holiday' });
    expect(created.status).toBe(201);
    const inside = await quote(rep, 15);
    const [t] = await openTasks(deputy, inside.id);
    expect(t).toMatchObject({ originalAssigneeId: manager.id });
    expect(await openTasks(manager, inside.id)).toEqual([]);
    app.get(Clock).set(new Date(T0.getTime() + HOUR)); // end is exclusive
    const after = await quote(rep, 15);
    expect(await openTasks(manager, after.id)).toHaveLength(1);
    app.get(Clock).set(T0);
    expect((await app.http.get(`${API}/delegations`).set(deputy.auth)).body.items.map((d: { id: string }) => d.id)).toEqual([created.body.id]);
    expectProblem(await app.http.delete(`${API}/delegations/${created.body.id}`).set(rep.auth), 404);
    expect((await app.http.delete(`${API}/delegations/${created.body.id}`).set(manager.auth)).status).toBe(204);
    expect((await openTasks(manager, (await quote(rep, 15)).id)).length).toBe(1);
  });

  it('an approver delegates an open task to another user', async () => {
    const i = await quote(rep, 15);
    const [t] = await openTasks(manager, i.id);
    const res = await app.http.post(`${API}/tasks/${t.id}/delegate`).set(manager.auth).send({ toUserId: deputy.id, comment: 'cover me' });
    expect(res.body).toMatchObject({ status: 'delegated' });
    const [d] = await openTasks(deputy, i.id);
    expect(d).toMatchObject({ delegatedFromTaskId: t.id, via: 'delegated' });
    await decide(deputy, d.id, 'approve');
    expect(await status(i.id)).toBe('approved');
  });

  it('the requester recalls before completion; afterwards decisions are 409', async () => {
    const i = await quote(rep, 25);
    const [t] = await openTasks(manager, i.id);
    expectProblem(await app.http.post(`${API}/approvals/${i.id}/recall`).set(manager.auth).send({}), 403, 'workflow.approval.not-requester');
    const res = await app.http.post(`${API}/approvals/${i.id}/recall`).set(rep.auth).send({ comment: 'typo' });
    await drainEvents(app);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'recalled', decidedBy: rep.id, steps: [expect.objectContaining({ status: 'cancelled' }), expect.objectContaining({ status: 'cancelled' })] });
    expect(res.body.tasks.map((x: { status: string }) => x.status)).toEqual(['cancelled']);
    expectProblem(await decide(manager, t.id, 'approve'), 409, 'workflow.task.closed');
    expectProblem(await app.http.post(`${API}/approvals/${i.id}/recall`).set(rep.auth).send({}), 409, 'workflow.approval.not-running');
    expect((await results(i.id)).map((e) => e.payload.outcome)).toEqual(['recalled']);
  });

  it('the owning context withdraws through an event', async () => {
    const i = await quote(rep, 15);
    await app.get(TestSubjects).withdraw({ subjectType: TEST_SUBJECT, subjectId: i.subjectId, requesterId: rep.id, reason: 'edited' });
    await drainEvents(app);
    expect(await status(i.id)).toBe('recalled');
    expect(await openTasks(manager, i.id)).toEqual([]);
  });
});

describe('timers and fallbacks (driven by the Clock)', () => {
  afterEach(() => app.get(Clock).set(T0));

  it('escalates to the approver’s manager at exactly the timeout', async () => {
    const i = await requestApproval(rep, { subjectType: 'test.escalating' });
    const [t] = await openTasks(manager, i.id);
    expect(t.dueAt).toBe(new Date(T0.getTime() + 48 * HOUR).toISOString());
    await runTimersAt(new Date(T0.getTime() + 48 * HOUR - 1));
    expect(await openTasks(manager, i.id)).toHaveLength(1);
    await runTimersAt(new Date(T0.getTime() + 48 * HOUR));
    expect(await openTasks(manager, i.id)).toEqual([]);
    const [e] = await openTasks(director, i.id);
    expect(e).toMatchObject({ delegatedFromTaskId: t.id, via: 'escalation:manager' });
    expect((await published(app, 'workflow.approval.escalated')).filter((x) => x.aggregateId === i.id)).toHaveLength(1);
    await runTimersAt(new Date(T0.getTime() + 100 * HOUR));
    expect(await app.sql(`SELECT count(*)::int AS n FROM workflow.approval_history WHERE instance_id = $1 AND action = 'escalated'`, [i.id])).toEqual([{ n: 1 }]);
    await decide(director, e.id, 'approve');
    expect(await status(i.id)).toBe('approved');
  });

  it('auto-approves on timeout', async () => {
    const i = await requestApproval(rep, { subjectType: 'test.auto-approving' });
    await runTimersAt(new Date(T0.getTime() + HOUR));
    expect(await status(i.id)).toBe('approved');
    expect((await results(i.id)).map((e) => e.payload)).toEqual([expect.objectContaining({ outcome: 'approved', automatic: true, decidedBy: null })]);
    expect((await app.http.get(`${API}/tasks`).query({ approvalId: i.id }).set(manager.auth)).body.items[0].status).toBe('no-response');
  });

  it('auto-rejects on timeout', async () => {
    const i = await requestApproval(rep, { subjectType: 'test.auto-rejecting' });
    await runTimersAt(new Date(T0.getTime() + 2 * HOUR - 1));
    expect(await status(i.id)).toBe('running');
    await runTimersAt(new Date(T0.getTime() + 2 * HOUR));
    expect(await status(i.id)).toBe('rejected');
    expect((await results(i.id)).map((e) => e.payload)).toEqual([expect.objectContaining({ outcome: 'rejected', automatic: true, decidedBy: null, comment: 'Timed out after PT2H' })]);
    expect((await app.http.get(`${API}/tasks`).query({ approvalId: i.id }).set(manager.auth)).body.items.map((t: { status: string }) => t.status)).toEqual(['no-response']);
  });

  it('fires many due timeouts in one batch: each escalated, reminded or decided once', async () => {
    const escalating = [await requestApproval(rep, { subjectType: 'test.escalating' }), await requestApproval(rep2, { subjectType: 'test.escalating' }), await requestApproval(rep, { subjectType: 'test.escalating' })];
    const reminding = await requestApproval(rep2, { subjectType: 'test.reminding' });
    const approving = await requestApproval(rep, { subjectType: 'test.auto-approving' });
    const rejecting = await requestApproval(rep2, { subjectType: 'test.auto-rejecting' });
    const fire = jest.spyOn(app.get(StepTimeouts), 'fire');
    try {
      await runTimersAt(new Date(T0.getTime() + 48 * HOUR));
      expect(fire).toHaveBeenCalledTimes(1);
      expect(fire.mock.calls[0][0]).toHaveLength(6);
    } finally {
      fire.mockRestore();
    }
    const escalated = await published<{ approvalId: string; fromUserId: string; toUserIds: string[] }>(app, 'workflow.approval.escalated');
    for (const i of escalating) {
      expect(escalated.filter((e) => e.payload.approvalId === i.id).map((e) => e.payload)).toEqual([expect.objectContaining({ fromUserId: manager.id, toUserIds: [director.id] })]);
      const history = await app.sql<{ action: string }>(`SELECT action FROM workflow.approval_history WHERE instance_id = $1 ORDER BY at, id`, [i.id]);
      expect(history.map((h) => h.action).slice(-3)).toEqual(['timeout', 'task-assigned', 'escalated']);
      const [e] = await openTasks(director, i.id);
      expect(e).toMatchObject({ via: 'escalation:manager', assigneeId: director.id });
      expect(await openTasks(manager, i.id)).toEqual([]);
    }
    const reminders = (await published<{ approvalId: string; assigneeId: string }>(app, 'workflow.task.reminder-due')).filter((e) => e.payload.approvalId === reminding.id);
    expect(reminders.map((e) => e.payload.assigneeId)).toEqual([manager.id]);
    expect([await status(reminding.id), await status(approving.id), await status(rejecting.id)]).toEqual(['running', 'approved', 'rejected']);
    await runTimersAt(new Date(T0.getTime() + 200 * HOUR));
    expect(await app.sql(`SELECT count(*)::int AS n FROM workflow.approval_history WHERE instance_id = ANY($1) AND action = 'escalated'`, [escalating.map((i) => i.id)])).toEqual([{ n: 3 }]);
    for (const i of escalating) await decide(director, (await openTasks(director, i.id))[0].id, 'approve');
    expect(await Promise.all(escalating.map((i) => status(i.id)))).toEqual(['approved', 'approved', 'approved']);
  });

  it('reminds on timeout', async () => {
    const i = await requestApproval(rep, { subjectType: 'test.reminding' });
    await runTimersAt(new Date(T0.getTime() + 24 * HOUR));
    const reminders = (await published<{ approvalId: string; assigneeId: string }>(app, 'workflow.task.reminder-due')).filter((e) => e.payload.approvalId === i.id);
    expect(reminders.map((e) => e.payload.assigneeId)).toEqual([manager.id]);
    expect(await status(i.id)).toBe('running');
  });

  it('an approver that cannot be resolved sends the step to the admins, recorded', async () => {
    const i = await quote(loner, 15);
    const [t] = await openTasks({ auth: adminAuth } as FixtureUser, i.id);
    expect(t).toMatchObject({ assigneeId: adminId, via: 'fallback:admin' });
    const detail = (await app.http.get(`${API}/approvals/${i.id}`).set(adminAuth)).body;
    expect(detail.history).toContainEqual(expect.objectContaining({ action: 'approver-unresolved', detail: expect.objectContaining({ fallbackRole: 'admin', reason: expect.stringContaining('has no manager') }) }));
    expect(detail.steps[0].unresolvedReason).toContain('has no manager');
  });
});

describe('definitions', () => {
  it('an instance started on v1 finishes on v1 after v2 is published', async () => {
    const v1 = await define({ key: 'versioned', subjectType: 'test.versioned', name: 'Versioned', steps: [{ name: 'Manager', approver: { type: 'manager' }, mode: 'any' }] });
    const a = await requestApproval(rep, { subjectType: 'test.versioned' });
    const put = await app.http
      .put(`${API}/process-definitions/${v1.id}`)
      .set(adminAuth)
      .set('if-match', '"1"')
      .send({ subjectType: 'test.versioned', name: 'Versioned v2', steps: [{ name: 'Manager', approver: { type: 'manager' }, mode: 'any' }, { name: 'Director', approver: { type: 'role', roleKey: 'sales-director' }, mode: 'any' }] });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: v1.id, version: 2, contentVersion: 2, name: 'Versioned v2' });
    expect(put.headers.etag).toBe('"2"');
    expectProblem(await app.http.put(`${API}/process-definitions/${v1.id}`).set(adminAuth).set('if-match', '"1"').send({ subjectType: 'test.versioned', name: 'x', steps: [{ name: 'M', approver: { type: 'manager' }, mode: 'any' }] }), 412);
    const b = await requestApproval(rep, { subjectType: 'test.versioned' });
    expect([a.definition_version, b.definition_version]).toEqual([1, 2]);
    await decide(manager, (await openTasks(manager, a.id))[0].id, 'approve');
    expect(await status(a.id)).toBe('approved');
    await decide(manager, (await openTasks(manager, b.id))[0].id, 'approve');
    expect(await status(b.id)).toBe('running');
    expect(await openTasks(director, b.id)).toHaveLength(1);
    expect((await app.http.get(`${API}/process-definitions/${v1.id}`).query({ version: 1 }).set(rep.auth)).body).toMatchObject({ version: 2, contentVersion: 1, name: 'Versioned' });
  });

  it('refuses invalid conditions and approver rules with clear errors', async () => {
    const res = await app.http.post(`${API}/process-definitions`).set(adminAuth).send({
      key: 'broken',
      subjectType: 'test.broken',
      name: 'Broken',
      entryCriteria: { all: [{ field: 'discount', op: 'gt', value: 1 }, { field: 'attributes.x', op: 'matches', value: 'a' }] },
      steps: [{ name: 'S', approver: { type: 'manager-level', levels: 0 }, mode: 'any', timeout: { after: 'two days', action: 'escalate' } }],
    });
    expectProblem(res, 400, 'validation-failed');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['entryCriteria.all[0].field', 'entryCriteria.all[1].op', 'steps[0].approver.levels', 'steps[0].timeout.after']);
    expect(await app.sql(`SELECT count(*)::int AS n FROM workflow.process_definition WHERE key = 'broken'`)).toEqual([{ n: 0 }]);
    expectProblem(await app.http.post(`${API}/process-definitions`).set(rep.auth).send({ key: 'x', subjectType: 'test.x', name: 'x', steps: [] }), 403);
  });
});

describe('end to end', () => {
  it('the owning context consumes exactly one result per request', async () => {
    const consumer = app.get(TestResultConsumer);
    const i = await quote(rep, 12);
    await decide(manager, (await openTasks(manager, i.id))[0].id, 'approve');
    await drainEvents(app);
    expect(consumer.results.filter((e) => e.payload.subjectId === i.subjectId).map((e) => [e.type, e.payload.outcome])).toEqual([['workflow.approval.approved', 'approved']]);
    const started = (await published<{ approvalId: string }>(app, 'workflow.approval.started')).filter((e) => e.payload.approvalId === i.id);
    expect(started).toHaveLength(1);
    const audit = await app.sql(`SELECT action, actor_id FROM platform.audit_entries WHERE record_type = 'workflow.task' AND record_id = (SELECT id FROM workflow.task WHERE instance_id = $1)::text`, [i.id]);
    expect(audit).toEqual([{ action: 'approve', actor_id: manager.id }]);
  });
});
