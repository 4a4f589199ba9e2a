import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../support/test-app';
import { CC, CLAIMS, financeFixtures } from './finance-fixtures';

/**
 * End to end through HTTP with the real Workflow engine and the seeded default definition
 * (manager; finance role above 5,000.00): expense submitted → approval task for the manager →
 * approved → finance task → approved → posted. Runs once Workflow is in the tree.
 */
const workflowPresent = existsSync(join(__dirname, '../../src/contexts/workflow/application/approval-engine.service.ts'));
const itWorkflow = workflowPresent ? it : it.skip;
if (!workflowPresent) console.warn('[finance approval flow] skipped: the Workflow context is not in this tree yet');

let app: TestApp;
beforeAll(async () => {
  if (workflowPresent) app = await startTestApp({ env: { WORKERS: 'false' } });
});
afterAll(() => app?.close());

itWorkflow('expense → manager task → approved → finance task (above 5,000.00) → approved → posted', async () => {
  const f = financeFixtures(app);
  const root = await f.identity.orgUnit({ name: 'Company' });
  const team = await f.identity.orgUnit({ name: 'Team', parentId: root.id });
  const manager = await f.identity.user({ roles: ['sales-manager'], orgUnitId: team.id });
  const alice = await f.identity.user({ roles: ['sales-rep'], orgUnitId: team.id, managerId: manager.id });
  const finance = await f.identity.user({ roles: ['finance'], orgUnitId: root.id });
  const centre = await f.centre({ ownerId: alice.id, capMinor: 1_000_000, warningLineMinor: 900_000 });

  const claim = await f.submitted(alice, centre.id, [400_000, 200_000]);
  await f.drain();
  const openTasks = async (auth: { authorization: string }) =>
    (await app.http.get('/api/v1/workflow/tasks').query({ assignee: 'me', status: 'open' }).set(auth).expect(200)).body.items as Array<{ id: string; subjectId: string }>;

  const [managerTask] = (await openTasks(manager.auth)).filter((t) => t.subjectId === claim.id);
  expect(managerTask).toBeDefined();
  expect((await app.http.get(`${CLAIMS}/${claim.id}`).set(alice.auth)).body).toMatchObject({ status: 'submitted', approvalId: expect.any(String) });
  await app.http.post(`/api/v1/workflow/tasks/${managerTask.id}/approve`).set(manager.auth).send({ comment: 'fine' }).expect(200);
  await f.drain();
  expect((await app.http.get(`${CLAIMS}/${claim.id}`).set(alice.auth)).body.status).toBe('submitted');

  const [financeTask] = (await openTasks(finance.auth)).filter((t) => t.subjectId === claim.id);
  expect(financeTask).toBeDefined();
  await app.http.post(`/api/v1/workflow/tasks/${financeTask.id}/approve`).set(finance.auth).send({ comment: 'paid' }).expect(200);
  await f.drain();

  expect((await app.http.get(`${CLAIMS}/${claim.id}`).set(alice.auth)).body).toMatchObject({ status: 'posted', decidedBy: finance.id });
  expect((await app.http.get(`${CC}/${centre.id}`).set(finance.auth)).body).toMatchObject({ spentMinor: 600_000, reservedMinor: 0 });
});

itWorkflow('a small claim needs only the manager', async () => {
  const f = financeFixtures(app);
  const team = await f.identity.orgUnit();
  const manager = await f.identity.user({ roles: ['sales-manager'], orgUnitId: team.id });
  const alice = await f.identity.user({ roles: ['sales-rep'], orgUnitId: team.id, managerId: manager.id });
  const centre = await f.centre({ ownerId: alice.id });
  const claim = await f.submitted(alice, centre.id, [1_000]);
  await f.drain();
  const tasks = (await app.http.get('/api/v1/workflow/tasks').query({ assignee: 'me', status: 'open' }).set(manager.auth).expect(200)).body.items;
  const task = tasks.find((t: { subjectId: string }) => t.subjectId === claim.id);
  await app.http.post(`/api/v1/workflow/tasks/${task.id}/approve`).set(manager.auth).send({ comment: 'ok' }).expect(200);
  await f.drain();
  expect((await app.http.get(`${CLAIMS}/${claim.id}`).set(alice.auth)).body.status).toBe('posted');
});

describe('no self-approval', () => {
  const openTaskFor = async (auth: { authorization: string }, subjectId: string) =>
    ((await app.http.get('/api/v1/workflow/tasks').query({ assignee: 'me', status: 'open' }).set(auth).expect(200)).body.items as Array<{ id: string; subjectId: string }>).find(
      (t) => t.subjectId === subjectId,
    );

  itWorkflow('a manager who submits an expense (a report’s claim) does not receive its approval task: their own manager does', async () => {
    const f = financeFixtures(app);
    const root = await f.identity.orgUnit({ name: 'Company' });
    const team = await f.identity.orgUnit({ name: 'Team', parentId: root.id });
    const director = await f.identity.user({ roles: ['sales-director'], orgUnitId: root.id });
    const manager = await f.identity.user({ roles: ['sales-manager'], orgUnitId: team.id, managerId: director.id });
    const alice = await f.identity.user({ roles: ['sales-rep'], orgUnitId: team.id, managerId: manager.id });
    const centre = await f.centre({ ownerId: alice.id });
    const claim = await f.claim(alice, centre.id, [1_000]);
    await app.http.post(`${CLAIMS}/${claim.id}/submit`).set(manager.auth).expect(200);
    await f.drain();

    expect(await openTaskFor(manager.auth, claim.id)).toBeUndefined();
    const task = await openTaskFor(director.auth, claim.id);
    expect(task).toMatchObject({ via: 'manager+up:1' });
    await app.http.post(`/api/v1/workflow/tasks/${task!.id}/approve`).set(director.auth).send({ comment: 'ok' }).expect(200);
    await f.drain();
    expect((await app.http.get(`${CLAIMS}/${claim.id}`).set(alice.auth)).body).toMatchObject({ status: 'posted', decidedBy: director.id });
  });

  itWorkflow('the finance step of a finance approver’s own claim goes to the other finance holders', async () => {
    const f = financeFixtures(app);
    const root = await f.identity.orgUnit({ name: 'Company' });
    const financeTeam = await f.identity.orgUnit({ name: 'Finance', parentId: root.id });
    const cfo = await f.identity.user({ roles: ['sales-director'], orgUnitId: root.id });
    const lead = await f.identity.user({ roles: ['finance'], orgUnitId: financeTeam.id, managerId: cfo.id });
    const clerk = await f.identity.user({ roles: ['finance'], orgUnitId: financeTeam.id, managerId: lead.id });
    const centre = await f.centre({ capMinor: 1_000_000, warningLineMinor: 900_000 });
    const claim = await f.submitted(lead, centre.id, [600_000]);
    await f.drain();

    const managerTask = await openTaskFor(cfo.auth, claim.id);
    await app.http.post(`/api/v1/workflow/tasks/${managerTask!.id}/approve`).set(cfo.auth).send({ comment: 'ok' }).expect(200);
    await f.drain();

    expect(await openTaskFor(lead.auth, claim.id)).toBeUndefined();
    const financeTask = await openTaskFor(clerk.auth, claim.id);
    expect(financeTask).toMatchObject({ via: `role:finance@${financeTeam.id}` });
    await app.http.post(`/api/v1/workflow/tasks/${financeTask!.id}/approve`).set(clerk.auth).send({ comment: 'paid' }).expect(200);
    await f.drain();
    expect((await app.http.get(`${CLAIMS}/${claim.id}`).set(lead.auth)).body).toMatchObject({ status: 'posted', decidedBy: clerk.id });
  });
});
