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
  const centre = await f.centre({ capMinor: 1_000_000, warningLineMinor: 900_000 });

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
  const centre = await f.centre();
  const claim = await f.submitted(alice, centre.id, [1_000]);
  await f.drain();
  const tasks = (await app.http.get('/api/v1/workflow/tasks').query({ assignee: 'me', status: 'open' }).set(manager.auth).expect(200)).body.items;
  const task = tasks.find((t: { subjectId: string }) => t.subjectId === claim.id);
  await app.http.post(`/api/v1/workflow/tasks/${task.id}/approve`).set(manager.auth).send({ comment: 'ok' }).expect(200);
  await f.drain();
  expect((await app.http.get(`${CLAIMS}/${claim.id}`).set(alice.auth)).body.status).toBe('posted');
});
