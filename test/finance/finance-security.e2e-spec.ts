import { randomUUID } from 'node:crypto';
import { salesFixtures } from '../sales/given';
import { published } from '../support/events';
import type { FixtureUser } from '../support/identity';
import { expectProblem, startTestApp, type TestApp } from '../support/test-app';
import { ADVANCES, CC, CLAIMS, financeFixtures } from './finance-fixtures';

/**
 * Issue #14 for Finance: every id a write refers to is checked against the caller's data scope
 * (a missing and an invisible record answer alike, with nothing about the record), and the
 * segregation of duties around paying and recalling.
 */
let app: TestApp;
let f: ReturnType<typeof financeFixtures>;
let people: Awaited<ReturnType<ReturnType<typeof financeFixtures>['team']>>;
let admin: { authorization: string };

beforeAll(async () => {
  app = await startTestApp({ env: { WORKERS: 'false' } });
  f = financeFixtures(app);
  people = await f.team();
  admin = await f.admin();
}, 120_000);
afterAll(() => app?.close());

const RECON = '/api/v1/finance/reconciliations';
const INCOMES = '/api/v1/finance/incomes';
const claimBody = (costCentreId: string, over: Record<string, unknown> = {}) => ({
  kind: 'reimbursement', costCentreId, title: 'Trip', currency: 'CNY', lines: [{ category: 'travel', date: '2026-03-01', amountMinor: 90_000 }], ...over,
});

/** The parts of a refusal that must not tell a missing record from an invisible one (the id itself aside). */
function shape(res: { status: number; body: Record<string, unknown> }, id: string) {
  return { status: res.status, body: JSON.parse(JSON.stringify(res.body).replaceAll(id, '<id>')) as Record<string, unknown> };
}
function expectAlike(invisible: { status: number; body: Record<string, unknown> }, invisibleId: string, missing: { status: number; body: Record<string, unknown> }, missingId: string) {
  const a = shape(invisible, invisibleId);
  const b = shape(missing, missingId);
  // requestId and instance differ per request; everything else is the same.
  for (const s of [a, b]) {
    delete s.body.requestId;
    delete s.body.instance;
  }
  expect(a).toEqual(b);
}
async function role(key: string, permissions: string[], dataScopes: Record<string, string>) {
  await app.http.post('/api/v1/identity/roles').set(admin).send({ key, name: key, permissions, dataScopes }).expect(201);
}

describe('a cost centre is charged only by someone who sees it', () => {
  it('a rep’s claim and advance against another team’s centre answer exactly like an unknown id, disclose nothing, and reserve nothing', async () => {
    const theirs = await f.centre({ ownerId: people.stranger.id, capMinor: 100_000, warningLineMinor: 90_000 });
    const before = await f.figures(theirs.id);
    const missing = randomUUID();

    const claim = await app.http.post(CLAIMS).set(people.alice.auth).send(claimBody(theirs.id));
    const unknownClaim = await app.http.post(CLAIMS).set(people.alice.auth).send(claimBody(missing));
    expectProblem(claim, 422, 'finance.cost-centre.unknown');
    expect(claim.body.errors).toEqual([{ field: 'costCentreId', message: expect.any(String) }]);
    expectAlike(claim, theirs.id, unknownClaim, missing);

    const advance = await app.http.post(ADVANCES).set(people.alice.auth).send({ costCentreId: theirs.id, amountMinor: 90_000, currency: 'CNY', purpose: 'Trip' });
    const unknownAdvance = await app.http.post(ADVANCES).set(people.alice.auth).send({ costCentreId: missing, amountMinor: 90_000, currency: 'CNY', purpose: 'Trip' });
    expectProblem(advance, 422, 'finance.cost-centre.unknown');
    expectAlike(advance, theirs.id, unknownAdvance, missing);

    // Moving an own draft onto their centre: the same answer.
    const mine = await f.centre({ ownerId: people.alice.id });
    const draft = await f.claim(people.alice, mine.id, [100]);
    const moved = await app.http.patch(`${CLAIMS}/${draft.id}`).set(people.alice.auth).send({ costCentreId: theirs.id });
    const movedUnknown = await app.http.patch(`${CLAIMS}/${draft.id}`).set(people.alice.auth).send({ costCentreId: missing });
    expectProblem(moved, 422, 'finance.cost-centre.unknown');
    expectAlike(moved, theirs.id, movedUnknown, missing);

    for (const res of [claim, advance, moved]) {
      const text = JSON.stringify(res.body);
      for (const secret of ['capMinor', 'availableMinor', 'reservedMinor', 'ownerId', 'costCentreCurrency', people.stranger.id, theirs.code]) expect(text).not.toContain(secret);
    }
    expect(await f.figures(theirs.id)).toEqual(before);
    expect(await f.ledgerSums(theirs.id)).toMatchObject({ n: 0 });
    const rows = await app.sql<{ n: number }>(
      `SELECT (SELECT count(*) FROM finance.expense_claim WHERE cost_centre_id = $1) + (SELECT count(*) FROM finance.advance WHERE cost_centre_id = $1) AS n`, [theirs.id]);
    expect(Number(rows[0].n)).toBe(0);
    expect((await app.http.get(`${CLAIMS}/${draft.id}`).set(people.alice.auth)).body).toMatchObject({ costCentreId: mine.id, version: draft.version });
  });

  it('a rep charges the cost centre of their own opportunity; a colleague cannot', async () => {
    const sales = salesFixtures(app);
    const opportunity = await sales.opportunity(people.alice, (await sales.account(people.alice)).id, { currency: 'CNY' });
    await f.drain();
    const centre = (await app.http.get(CC).query({ subjectId: opportunity.id }).set(people.alice.auth).expect(200)).body.items[0];
    expect(centre).toMatchObject({ ownerId: people.alice.id, subjectType: 'sales.opportunity' });
    await app.http.post(CLAIMS).set(people.alice.auth).send(claimBody(centre.id, { currency: centre.currency, lines: [{ category: 'meals', date: '2026-03-01', amountMinor: 100 }] })).expect(201);
    expectProblem(await app.http.post(CLAIMS).set(people.bob.auth).send(claimBody(centre.id, { currency: centre.currency })), 422, 'finance.cost-centre.unknown');
  });

  it('a cap refusal names the figures to a caller who sees the centre, and none to one who does not (a manager submitting a report’s claim)', async () => {
    const centre = await f.centre({ ownerId: people.alice.id, capMinor: 1_000, warningLineMinor: 900 });
    await f.submitted(people.alice, centre.id, [800]);
    const own = await f.claim(people.alice, centre.id, [300]);
    const seen = await app.http.post(`${CLAIMS}/${own.id}/submit`).set(people.alice.auth);
    expectProblem(seen, 422, 'cost-centre-cap-exceeded');
    expect(seen.body).toMatchObject({ capMinor: 1_000, availableMinor: 200, requestedMinor: 300 });

    const unseen = await app.http.post(`${CLAIMS}/${own.id}/submit`).set(people.manager.auth);
    expectProblem(unseen, 422, 'cost-centre-cap-exceeded');
    for (const key of ['capMinor', 'availableMinor', 'requestedMinor', 'currency']) expect(unseen.body).not.toHaveProperty(key);
    expect(unseen.body.detail).not.toMatch(/\d|CC-/);
    expect(await f.figures(centre.id)).toMatchObject({ reservedMinor: 800 });
  });

  it('incomes and settlements: a centre outside the caller’s scope answers like an unknown one', async () => {
    await role('income-clerk', ['finance.income:create', 'finance.reconciliation:*'], { 'finance.reconciliation': 'team' });
    const clerk = await f.identity.user({ roles: ['income-clerk'], orgUnitId: people.unit.id });
    const theirs = await f.centre({ ownerId: people.stranger.id });
    const missing = randomUUID();
    const income = (costCentreId: string) => app.http.post(INCOMES).set(clerk.auth).send({ costCentreId, amountMinor: 10, currency: 'CNY', receivedOn: '2026-03-01', source: 'x' });
    const invisible = await income(theirs.id);
    expectProblem(invisible, 422, 'finance.cost-centre.unknown');
    expectAlike(invisible, theirs.id, await income(missing), missing);
    expect(await f.figures(theirs.id)).toMatchObject({ incomeMinor: 0 });

    const settle = (costCentreId: string) =>
      app.http.post(`${RECON}/${people.alice.id}/settlements`).set(clerk.auth).send({ costCentreId, currency: 'CNY', direction: 'company-pays', amountMinor: 1 });
    const out = await settle(theirs.id);
    expectProblem(out, 422, 'finance.cost-centre.unknown');
    expectAlike(out, theirs.id, await settle(missing), missing);
  });
});

describe('other references of Finance writes', () => {
  it('a claim’s or an income’s account must be one the caller sees; campaign and product ids are unknown until their contexts register them', async () => {
    const sales = salesFixtures(app);
    const strangers = await sales.account(people.stranger);
    const alices = await sales.account(people.alice);
    const centre = await f.centre({ ownerId: people.alice.id });
    const missing = randomUUID();

    const invisible = await app.http.post(CLAIMS).set(people.alice.auth).send(claimBody(centre.id, { accountId: strangers.id, lines: [{ category: 'meals', date: '2026-03-01', amountMinor: 10 }] }));
    const unknown = await app.http.post(CLAIMS).set(people.alice.auth).send(claimBody(centre.id, { accountId: missing, lines: [{ category: 'meals', date: '2026-03-01', amountMinor: 10 }] }));
    expectProblem(invisible, 422, 'sales.account.unknown');
    expect(invisible.body.errors).toEqual([{ field: 'accountId', message: expect.any(String) }]);
    expectAlike(invisible, strangers.id, unknown, missing);
    expect(JSON.stringify(invisible.body)).not.toContain(people.stranger.id);

    const draft = (await app.http.post(CLAIMS).set(people.alice.auth).send(claimBody(centre.id, { accountId: alices.id, lines: [{ category: 'meals', date: '2026-03-01', amountMinor: 10 }] })).expect(201)).body;
    expect(draft.accountId).toBe(alices.id);
    expectProblem(await app.http.patch(`${CLAIMS}/${draft.id}`).set(people.alice.auth).send({ accountId: strangers.id }), 422, 'sales.account.unknown');
    for (const [field, code] of [['campaignId', 'marketing.campaign.unknown'], ['productId', 'sales.product.unknown']]) {
      const res = await app.http.post(CLAIMS).set(people.alice.auth).send(claimBody(centre.id, { [field]: randomUUID(), lines: [{ category: 'meals', date: '2026-03-01', amountMinor: 10 }] }));
      expectProblem(res, 422, code);
      expect(res.body.errors).toEqual([{ field, message: expect.any(String) }]);
    }

    // Incomes: a clerk who sees every centre but only their own accounts.
    await role('income-recorder', ['finance.income:create'], { 'finance.cost-centre': 'all' });
    const clerk = await f.identity.user({ roles: ['income-recorder'], orgUnitId: people.unit.id });
    const income = (accountId: string) =>
      app.http.post(INCOMES).set(clerk.auth).send({ costCentreId: centre.id, amountMinor: 10, currency: 'CNY', receivedOn: '2026-03-01', source: 'x', accountId });
    const hidden = await income(strangers.id);
    expectProblem(hidden, 422, 'sales.account.unknown');
    expectAlike(hidden, strangers.id, await income(missing), missing);
    expect(await f.figures(centre.id)).toMatchObject({ incomeMinor: 0 });
    expect((await app.http.post(INCOMES).set(people.finance.auth).send({ costCentreId: centre.id, amountMinor: 10, currency: 'CNY', receivedOn: '2026-03-01', source: 'x', accountId: strangers.id })).status).toBe(201);
  });

  it('a reconciliation or settlement of a user outside the caller’s scope answers like an unknown user (404)', async () => {
    await role('team-settler', ['finance.reconciliation:*'], { 'finance.reconciliation': 'team' });
    const settler = await f.identity.user({ roles: ['team-settler'], orgUnitId: people.unit.id });
    const missing = randomUUID();
    const body = { currency: 'CNY', direction: 'company-pays', amountMinor: 1 };
    const out = await app.http.post(`${RECON}/${people.stranger.id}/settlements`).set(settler.auth).send(body);
    const unknown = await app.http.post(`${RECON}/${missing}/settlements`).set(settler.auth).send(body);
    expectProblem(out, 404, 'not-found');
    expectAlike(out, people.stranger.id, unknown, missing);
    // Finance sees everyone: an unknown user is still unknown (it used to answer an empty reconciliation).
    expectProblem(await app.http.get(`${RECON}/${missing}`).set(people.finance.auth), 404, 'not-found');
    expectProblem(await app.http.post(`${RECON}/${missing}/settlements`).set(people.finance.auth).send(body), 404, 'not-found');
    // In scope: the settlement rules apply (nothing to settle).
    expectProblem(await app.http.post(`${RECON}/${people.bob.id}/settlements`).set(settler.auth).send(body), 422, 'finance.reconciliation.nothing-to-settle');
    expect(await app.sql(`SELECT id FROM finance.settlement`)).toEqual([]);
  });

  it('a cost centre’s owner is an active user in the caller’s scope, and its subject a record the caller sees', async () => {
    await role('team-budgets', ['finance.cost-centre:*'], { 'finance.cost-centre': 'team', 'sales.*': 'team' });
    const opener = await f.identity.user({ roles: ['team-budgets'], orgUnitId: people.unit.id });
    const missing = randomUUID();
    const open = (over: Record<string, unknown>) => app.http.post(CC).set(opener.auth).send({ name: 'Team budget', subjectType: 'department', capMinor: 1_000, currency: 'CNY', ...over });

    const outsider = await open({ ownerId: people.stranger.id });
    expectProblem(outsider, 422, 'identity.user.unknown');
    expect(outsider.body.errors).toEqual([{ field: 'ownerId', message: expect.any(String) }]);
    expectAlike(outsider, people.stranger.id, await open({ ownerId: missing }), missing);
    const teams = await open({ ownerId: people.bob.id });
    expect(teams.status).toBe(201);
    expect(teams.body.ownerId).toBe(people.bob.id);
    const handedOver = await app.http.patch(`${CC}/${teams.body.id}`).set(opener.auth).send({ ownerId: people.stranger.id });
    expectProblem(handedOver, 422, 'identity.user.unknown');
    expect((await f.figures(teams.body.id)).version).toBe(1);

    const sales = salesFixtures(app);
    const theirs = await sales.opportunity(people.stranger, (await sales.account(people.stranger)).id);
    const ours = await sales.opportunity(people.bob, (await sales.account(people.bob)).id);
    const hidden = await open({ subjectType: 'sales.opportunity', subjectId: theirs.id });
    expectProblem(hidden, 422, 'finance.cost-centre.unknown-subject');
    expect(hidden.body.errors).toEqual([{ field: 'subjectId', message: expect.any(String) }]);
    expectAlike(hidden, theirs.id, await open({ subjectType: 'sales.opportunity', subjectId: missing }), missing);
    // No context registers service.project or a free kind's records: any id of them is unknown.
    expectProblem(await open({ subjectType: 'service.project', subjectId: randomUUID() }), 422, 'finance.cost-centre.unknown-subject');
    expectProblem(await open({ subjectType: 'department', subjectId: people.unit.id }), 422, 'finance.cost-centre.unknown-subject');
    expect((await open({ subjectType: 'sales.opportunity', subjectId: ours.id })).status).toBe(201);
    expect(await app.sql(`SELECT id FROM finance.cost_centre WHERE subject_id = $1`, [theirs.id])).toEqual([]);
  });
});

describe('segregation of duties', () => {
  /** An advance of `owner` on a centre they see, submitted. */
  async function submittedAdvance(owner: FixtureUser, amountMinor = 1_000) {
    const centre = await f.centre({ ownerId: owner.id, capMinor: 100_000, warningLineMinor: 90_000 });
    const created = await app.http.post(ADVANCES).set(owner.auth).send({ costCentreId: centre.id, amountMinor, currency: 'CNY', purpose: 'Trip' }).expect(201);
    await app.http.post(`${ADVANCES}/${created.body.id}/submit`).set(owner.auth).expect(200);
    return { id: created.body.id as string, centre };
  }

  it('employees and managers hold no finance.advance:pay nor recall-any; finance keeps finance.*:*', async () => {
    const roles = Object.fromEntries(
      (await app.http.get('/api/v1/identity/roles').set(admin).query({ limit: 500 }).expect(200)).body.items.map((r: { key: string; permissions: string[] }) => [r.key, r.permissions]),
    );
    for (const key of ['sales-director', 'sales-manager', 'sales-rep', 'marketer', 'service-manager', 'service-agent', 'field-engineer', 'call-center-agent', 'call-center-supervisor']) {
      expect({ key, permissions: roles[key] }).toEqual({
        key,
        permissions: expect.arrayContaining(['finance.advance:create', 'finance.advance:submit', 'finance.expense-claim:recall']),
      });
      expect(roles[key].filter((p: string) => /^finance\.(advance|expense-claim):\*$|:pay$|:recall-any$/.test(p))).toEqual([]);
    }
    expect(roles.finance).toContain('finance.*:*');
  });

  it('a manager cannot pay an advance (403); finance can', async () => {
    const { id } = await submittedAdvance(people.alice);
    await f.decide('finance.advance', id, 'approved', people.manager.id);
    expectProblem(await app.http.post(`${ADVANCES}/${id}/pay`).set(people.manager.auth), 403, 'permission-denied');
    expect((await app.http.post(`${ADVANCES}/${id}/pay`).set(people.finance.auth)).body).toMatchObject({ status: 'paid', paidBy: people.finance.id });
  });

  it('nobody pays their own advance, even holding finance.advance:pay', async () => {
    const { id, centre } = await submittedAdvance(people.finance);
    await f.decide('finance.advance', id, 'approved', people.manager.id);
    expectProblem(await app.http.post(`${ADVANCES}/${id}/pay`).set(people.finance.auth), 403, 'finance.advance.pay-own');
    expect(await f.figures(centre.id)).toMatchObject({ reservedMinor: 1_000, spentMinor: 0 });
  });

  it('a finance user who approved an advance (published result) cannot pay it; another one can', async () => {
    const approver = await f.identity.user({ roles: ['finance'] });
    const { id, centre } = await submittedAdvance(people.alice);
    await f.decide('finance.advance', id, 'approved', approver.id);
    const refused = await app.http.post(`${ADVANCES}/${id}/pay`).set(approver.auth);
    expectProblem(refused, 403, 'finance.advance.pay-approver');
    expect(await f.figures(centre.id)).toMatchObject({ reservedMinor: 1_000, spentMinor: 0 });
    expect((await app.http.post(`${ADVANCES}/${id}/pay`).set(people.finance.auth)).body.status).toBe('paid');
  });

  it('through the real approval engine: neither the approver of the first step nor of the last pays the advance', async () => {
    const root = await f.identity.orgUnit({ name: 'Company' });
    const financeUnit = await f.identity.orgUnit({ name: 'Finance', parentId: root.id });
    const first = await f.identity.user({ roles: ['finance'], orgUnitId: financeUnit.id });
    const employee = await f.identity.user({ roles: ['sales-rep'], orgUnitId: financeUnit.id, managerId: first.id });
    const second = await f.identity.user({ roles: ['finance'], orgUnitId: financeUnit.id });
    const payer = await f.identity.user({ roles: ['finance'], orgUnitId: financeUnit.id });
    const { id } = await submittedAdvance(employee);
    await f.drain();
    const approveAs = async (user: FixtureUser) => {
      const tasks = (await app.http.get('/api/v1/workflow/tasks').query({ assignee: 'me', status: 'open' }).set(user.auth).expect(200)).body.items as { id: string; subjectId: string }[];
      const task = tasks.find((t) => t.subjectId === id);
      expect(task).toBeDefined();
      await app.http.post(`/api/v1/workflow/tasks/${task!.id}/approve`).set(user.auth).send({ comment: 'ok' }).expect(200);
      await f.drain();
    };
    await approveAs(first); // manager step: the employee's manager, who also holds finance.advance:pay
    await approveAs(second); // finance step
    expect((await app.http.get(`${ADVANCES}/${id}`).set(employee.auth)).body).toMatchObject({ status: 'approved', decidedBy: second.id });

    expectProblem(await app.http.post(`${ADVANCES}/${id}/pay`).set(first.auth), 403, 'finance.advance.pay-approver');
    expectProblem(await app.http.post(`${ADVANCES}/${id}/pay`).set(second.auth), 403, 'finance.advance.pay-approver');
    expect((await app.http.post(`${ADVANCES}/${id}/pay`).set(payer.auth)).body).toMatchObject({ status: 'paid', paidBy: payer.id });
  });

  it('recalling a claim is the claimant’s: the manager is refused (403), the claimant and an admin may', async () => {
    const centre = await f.centre({ ownerId: people.alice.id });
    const claim = await f.submitted(people.alice, centre.id, [400]);
    const refused = await app.http.post(`${CLAIMS}/${claim.id}/recall`).set(people.manager.auth).send({ reason: 'not yours' });
    expectProblem(refused, 403, 'finance.expense-claim.not-claimant');
    expect((await app.http.get(`${CLAIMS}/${claim.id}`).set(people.alice.auth)).body).toMatchObject({ status: 'submitted', version: claim.version });
    expect(await f.figures(centre.id)).toMatchObject({ reservedMinor: 400 });
    // Out of scope stays 404.
    expectProblem(await app.http.post(`${CLAIMS}/${claim.id}/recall`).set(people.stranger.auth), 404);

    expect((await app.http.post(`${CLAIMS}/${claim.id}/recall`).set(people.alice.auth)).body.status).toBe('recalled');
    expect(await f.figures(centre.id)).toMatchObject({ reservedMinor: 0 });

    const other = await f.submitted(people.alice, centre.id, [300]);
    expect((await app.http.post(`${CLAIMS}/${other.id}/recall`).set(admin).send({ reason: 'duplicate' })).body.status).toBe('recalled');
    // Workflow is told the requester's id (the claimant), whoever recalled it.
    const withdrawn = (await published(app, 'finance.expense-claim.approval-withdrawn')).find((e) => e.aggregateId === other.id);
    expect(withdrawn?.payload).toMatchObject({ subjectId: other.id, requesterId: people.alice.id, reason: 'duplicate' });
  });

  it('recalling an advance is the requester’s: the manager is refused (403), an admin may', async () => {
    const { id, centre } = await submittedAdvance(people.alice);
    expectProblem(await app.http.post(`${ADVANCES}/${id}/recall`).set(people.manager.auth), 403, 'finance.advance.not-requester');
    expect(await f.figures(centre.id)).toMatchObject({ reservedMinor: 1_000 });
    expect((await app.http.post(`${ADVANCES}/${id}/recall`).set(admin)).body.status).toBe('recalled');
    expect(await f.figures(centre.id)).toMatchObject({ reservedMinor: 0 });
  });
});
