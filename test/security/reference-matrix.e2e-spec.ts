import { randomUUID } from 'node:crypto';
import { buildOpenApiDocument } from '../../src/platform/http/openapi';
import { RecordScopeRegistry } from '../../src/platform/identity/application/record-scope.registry';
import { drainEvents } from '../support/events';
import { authHeader } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';
import { ok, publishForeignEvent, salesFixtures } from '../sales/given';
import { TestSubjects, TEST_SUBJECT, WorkflowTestModule } from '../workflow/workflow-test.module';

/**
 * Issue #14, "every id a write refers to is checked against the caller's data scope": the
 * reference matrix. Every `*Id` / `*Ids` property of every write operation's request body
 * (nested objects and arrays included, plus `related.id`) and every path parameter naming
 * another record (`{contactId}`, `{userId}`, …), read from the OpenAPI document of the running
 * app, must have a case below: the same request once with a record that exists but that the
 * caller cannot see, once with a random UUID. Both must be refused with the same status, code
 * and `errors[].field` (body: 422 naming the field; path: 404), the same body apart from the id,
 * nothing of the record in it, and nothing written. A new reference without a case, or a case
 * whose field no longer exists, fails the test.
 */

type Res = { status: number; body: any; text: string };
type Auth = { auth: { authorization: string } };

interface Case {
  /** Who sends the request: a user with a narrower scope than the record's owner. */
  caller: () => Auth;
  /** The request with the reference set to `id` (everything else valid). */
  send: (caller: Auth, id: string) => Promise<Res>;
  /** A record that exists but is outside the caller's scope, or why there can be none. */
  outOfScope: () => string | { none: string };
  /** Rows / versions that must not change (besides the audit log and the outbox, always checked). */
  state?: () => Promise<unknown>;
  /** The answer, when this branch knows it (other branches' codes are only compared). */
  answer?: { status: number; code?: string };
}

const API = '/api/v1';
const WRITE = new Set(['post', 'put', 'patch', 'delete']);

/** Properties named like ids that are not references to records. */
const EXEMPT: Record<string, string> = {
  'sales_createAccount externalId': 'the ERP’s own id of the account (free text, unique), not a record of this system',
  'sales_updateAccount externalId': 'the ERP’s own id of the account (free text, unique), not a record of this system',
};

/**
 * References inside free-form objects, which the schema cannot enumerate: the approver rule of
 * a process-definition step (`{ type: "user", userId }`, `{ type: "org-unit-head", orgUnitId }`).
 * Each is checked to be named in the property's description, so the list follows the document.
 */
const FREE_FORM: Array<{ op: string; field: string; describedBy: string }> = [
  { op: 'workflow_createProcessDefinition', field: 'steps[].approver.userId', describedBy: 'StepRequest.approver' },
  { op: 'workflow_createProcessDefinition', field: 'steps[].approver.orgUnitId', describedBy: 'StepRequest.approver' },
  { op: 'workflow_updateProcessDefinition', field: 'steps[].approver.userId', describedBy: 'StepRequest.approver' },
  { op: 'workflow_updateProcessDefinition', field: 'steps[].approver.orgUnitId', describedBy: 'StepRequest.approver' },
];

let app: TestApp;
let given: ReturnType<typeof salesFixtures>;
let admin: Auth;
const f: Record<string, any> = {};

const count = async (table: string, where = 'true', params: unknown[] = []) => (await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params))[0].n;
const version = async (table: string, id: string) => (await app.sql<{ v: number }>(`SELECT version AS v FROM ${table} WHERE id = $1`, [id]))[0]?.v;
const post = (path: string) => (caller: Auth, body: object) => app.http.post(`${API}${path}`).set(caller.auth).send(body);
const patch = (path: string) => (caller: Auth, body: object) => app.http.patch(`${API}${path}`).set(caller.auth).send(body);
const put = (path: string) => (caller: Auth, body: object) => app.http.put(`${API}${path}`).set(caller.auth).send(body);

beforeAll(async () => {
  app = await startTestApp({ env: { WORKERS: 'false' }, extraModules: [WorkflowTestModule] });
  given = salesFixtures(app);
  const id = given.identity;
  admin = { auth: authHeader(await id.adminToken()) };
  const root = await id.orgUnit({ type: 'group' });
  f.unitA = (await id.orgUnit({ type: 'team', parentId: root.id })).id;
  f.unitB = (await id.orgUnit({ type: 'team', parentId: root.id })).id;
  f.root = root.id;
  f.groupB = (await id.orgUnit({ type: 'group' })).id;
  // Team A: a rep (own scope), a manager (team scope) and a colleague; team B: the other rep.
  f.rep = await id.user({ roles: ['sales-rep'], orgUnitId: f.unitA });
  f.manager = await id.user({ roles: ['sales-manager'], orgUnitId: f.unitA });
  f.colleague = await id.user({ roles: ['sales-rep'], orgUnitId: f.unitA, managerId: f.manager.id });
  f.repB = await id.user({ roles: ['sales-rep'], orgUnitId: f.unitB });
  // Every built-in employee role sees every user (`identity.*: all`, to pick owners and approvers),
  // so the user references (participants, delegations, approvers, identity) are sent by a user
  // whose role narrows the people directory to their team.
  ok(
    await app.http
      .post(`${API}/identity/roles`)
      .set(admin.auth)
      .send({
        key: 'matrix-narrow',
        name: 'Team-only directory',
        permissions: ['sales.*:*', 'workflow.*:*', 'finance.*:*', 'identity.user:*', 'identity.org-unit:*'],
        dataScopes: { 'sales.*': 'own', 'identity.*': 'team', 'workflow.*': 'all', 'finance.*': 'own' },
      }),
  );
  f.narrow = await id.user({ roles: ['matrix-narrow'], orgUnitId: f.unitA });
  // Routing set-up (assignment rules, capture forms) is administration: a set-up admin whose lead scope is team A.
  ok(
    await app.http
      .post(`${API}/identity/roles`)
      .set(admin.auth)
      .send({
        key: 'matrix-setup-admin',
        name: 'Lead routing administrator of team A',
        permissions: ['sales.lead-assignment-rule:*', 'sales.lead-capture-form:*', 'sales.lead:read'],
        dataScopes: { 'sales.*': 'team' },
      }),
  );
  f.setupAdmin = await id.user({ roles: ['matrix-setup-admin'], orgUnitId: f.unitA });
  // Identity's own writes change people and units: they get their own, so no other case moves.
  f.spare = await id.user({ roles: ['sales-rep'], orgUnitId: f.unitA });
  f.spareUnit = (await id.orgUnit({ type: 'team', parentId: root.id, headUserId: f.narrow.id })).id;
  f.accountN = await given.account(f.narrow);
  f.sparePartner = await id.user({ roles: [], kind: 'partner', accountId: f.accountN.id, orgUnitId: f.unitA });

  // Sales records: team A's rep's own, and the other team's (out of the rep's scope).
  f.accountA = await given.account(f.rep);
  f.accountB = await given.account(f.repB);
  f.contactA = await given.contact(f.rep, f.accountA.id);
  f.contactB = await given.contact(f.repB, f.accountB.id);
  f.leadA = await given.lead(f.rep);
  f.leadB = await given.lead(f.repB);
  f.oppA = await given.opportunity(f.rep, f.accountA.id);
  f.oppB = await given.opportunity(f.repB, f.accountB.id);
  f.activityA = await given.activity(f.rep);
  f.activityN = await given.activity(f.narrow);
  f.competitor = ok(await app.http.post(`${API}/sales/competitors`).set(admin.auth).send({ name: given.unique('Rival') }));
  f.method = ok(await app.http.get(`${API}/sales/sales-methods`).set(admin.auth), 200).items[0];
  // A contact at the rep's account owned by the other team, with a role on the rep's opportunity.
  f.hiddenContact = await given.contact(admin, f.accountA.id, { ownerId: f.repB.id });
  ok(await app.http.post(`${API}/sales/opportunities/${f.oppA.id}/contact-roles`).set(admin.auth).send({ contactId: f.hiddenContact.id, role: 'user', attitude: 'neutral' }));
  f.rule = ok(await post('/sales/lead-assignment-rules')(f.setupAdmin, { name: given.unique('Rule'), priority: 900, criteria: { regions: ['Nowhere'] }, assignTo: { userId: f.colleague.id }, strategy: 'round-robin' }));

  // Finance: a centre of the rep's and one of the other team's; a draft claim of the rep's.
  const centre = (ownerId: string) =>
    app.http.post(`${API}/finance/cost-centres`).set(admin.auth).send({ name: given.unique('Centre'), subjectType: 'department', capMinor: 1_000_000, warningLineMinor: 800_000, currency: 'EUR', ownerId });
  f.centreA = ok(await centre(f.rep.id));
  f.centreB = ok(await centre(f.repB.id));
  f.centreN = ok(await centre(f.narrow.id));
  f.claimA = ok(await post('/finance/expense-claims')(f.rep, claimBody({})));

  // Workflow: an approval whose task is the narrow user's (approver rule: that user).
  f.definition = ok(await post('/workflow/process-definitions')(admin, definitionBody('matrix-quote', f.narrow.id)));
  await app.get(TestSubjects).requestApproval({ requesterId: f.colleague.id, requesterOrgUnitId: f.unitA });
  await drainEvents(app);
  const tasks = ok(await app.http.get(`${API}/workflow/tasks?assignee=me&status=open`).set(f.narrow.auth), 200);
  f.task = tasks.items[0];
  if (!f.task) throw new Error('no task for the narrow user');
  f.orgUnitsRegistered = app.get(RecordScopeRegistry).has('identity.org-unit');
}, 180_000);
afterAll(() => app?.close());

function claimBody(over: Record<string, unknown>) {
  return { kind: 'reimbursement', costCentreId: f.centreA.id, title: 'Customer visit', currency: 'EUR', lines: [{ category: 'travel', date: '2026-03-02', amountMinor: 1000, receiptRef: 'r-1' }], ...over };
}

function definitionBody(key: string, userId: string, over: Record<string, unknown> = {}) {
  return { key, subjectType: TEST_SUBJECT, name: 'Matrix quote', steps: [{ name: 'Named approver', approver: { type: 'user', userId }, mode: 'any' }], ...over };
}

const activityBody = (over: Record<string, unknown>) => ({ type: 'meeting', subject: given.unique('Meeting'), startAt: '2026-05-04T09:00:00.000Z', endAt: null, ...over });
const none = (why: string) => () => ({ none: why });
const NOT_SCOPED = (what: string) => none(`${what} are not owner-scoped: every user with the permission sees all of them`);
const NO_CAMPAIGNS = none('Marketing has not registered marketing.campaign yet: no campaign can exist, every id is unknown');
const NO_PRODUCTS = none('products (commerce) are not built yet: every id is unknown');
const orgUnitOutOfScope = () => (f.orgUnitsRegistered ? f.unitB : { none: 'Identity does not register identity.org-unit (yet): org units are visible to every employee' });

const rows = (table: string, where?: string, params?: () => unknown[]) => () => count(table, where, params?.());
const ver = (table: string, id: () => string) => () => version(table, id());

/** The table: `<operationId> <field>` → how to prove the reference is checked. */
const CASES: Record<string, Case> = {
  // ---- Sales: accounts
  'sales_createAccount ownerId': { caller: () => f.rep, send: (c, id) => post('/sales/accounts')(c, { name: given.unique('Acct'), ownerId: id }), outOfScope: () => f.repB.id, state: rows('sales.account'), answer: { status: 422, code: 'sales.owner.unknown-user' } },
  'sales_createAccount parentAccountId': { caller: () => f.rep, send: (c, id) => post('/sales/accounts')(c, { name: given.unique('Acct'), parentAccountId: id }), outOfScope: () => f.accountB.id, state: rows('sales.account'), answer: { status: 422, code: 'sales.account.unknown' } },
  'sales_updateAccount ownerId': { caller: () => f.rep, send: (c, id) => patch(`/sales/accounts/${f.accountA.id}`)(c, { ownerId: id }), outOfScope: () => f.repB.id, state: ver('sales.account', () => f.accountA.id), answer: { status: 422, code: 'sales.owner.unknown-user' } },
  'sales_updateAccount parentAccountId': { caller: () => f.rep, send: (c, id) => patch(`/sales/accounts/${f.accountA.id}`)(c, { parentAccountId: id }), outOfScope: () => f.accountB.id, state: ver('sales.account', () => f.accountA.id), answer: { status: 422, code: 'sales.account.unknown' } },
  // ---- contacts
  'sales_createContact accountId': { caller: () => f.rep, send: (c, id) => post('/sales/contacts')(c, { accountId: id, lastName: 'Matrix' }), outOfScope: () => f.accountB.id, state: rows('sales.contact'), answer: { status: 422, code: 'sales.account.unknown' } },
  'sales_createContact ownerId': { caller: () => f.rep, send: (c, id) => post('/sales/contacts')(c, { accountId: f.accountA.id, lastName: 'Matrix', ownerId: id }), outOfScope: () => f.repB.id, state: rows('sales.contact'), answer: { status: 422, code: 'sales.owner.unknown-user' } },
  'sales_updateContact accountId': { caller: () => f.rep, send: (c, id) => patch(`/sales/contacts/${f.contactA.id}`)(c, { accountId: id }), outOfScope: () => f.accountB.id, state: ver('sales.contact', () => f.contactA.id), answer: { status: 422, code: 'sales.account.unknown' } },
  'sales_updateContact ownerId': { caller: () => f.rep, send: (c, id) => patch(`/sales/contacts/${f.contactA.id}`)(c, { ownerId: id }), outOfScope: () => f.repB.id, state: ver('sales.contact', () => f.contactA.id), answer: { status: 422, code: 'sales.owner.unknown-user' } },
  // ---- leads
  'sales_createLead campaignId': { caller: () => f.rep, send: (c, id) => post('/sales/leads')(c, { lastName: 'Matrix', campaignId: id }), outOfScope: NO_CAMPAIGNS, state: rows('sales.lead'), answer: { status: 422, code: 'marketing.campaign.unknown' } },
  'sales_createLead ownerId': { caller: () => f.rep, send: (c, id) => post('/sales/leads')(c, { lastName: 'Matrix', ownerId: id }), outOfScope: () => f.repB.id, state: rows('sales.lead'), answer: { status: 422, code: 'sales.owner.unknown-user' } },
  'sales_updateLead campaignId': { caller: () => f.rep, send: (c, id) => patch(`/sales/leads/${f.leadA.id}`)(c, { campaignId: id }), outOfScope: NO_CAMPAIGNS, state: ver('sales.lead', () => f.leadA.id), answer: { status: 422, code: 'marketing.campaign.unknown' } },
  'sales_assignLead ownerId': { caller: () => f.rep, send: (c, id) => post(`/sales/leads/${f.leadA.id}/assign`)(c, { ownerId: id }), outOfScope: () => f.repB.id, state: ver('sales.lead', () => f.leadA.id), answer: { status: 422, code: 'sales.owner.unknown-user' } },
  'sales_convertLead accountId': { caller: () => f.rep, send: (c, id) => post(`/sales/leads/${f.leadA.id}/convert`)(c, { accountId: id }), outOfScope: () => f.accountB.id, state: ver('sales.lead', () => f.leadA.id), answer: { status: 422, code: 'sales.account.unknown' } },
  'sales_convertLead opportunity.salesMethodId': {
    caller: () => f.rep,
    send: (c, id) => post(`/sales/leads/${f.leadA.id}/convert`)(c, { accountId: f.accountA.id, createOpportunity: true, opportunity: { amountMinor: 1, currency: 'EUR', closeDate: '2026-12-31', salesMethodId: id } }),
    outOfScope: NOT_SCOPED('sales methods'),
    state: async () => [await version('sales.lead', f.leadA.id), await count('sales.contact'), await count('sales.opportunity')],
    answer: { status: 422, code: 'sales.sales-method.unknown' },
  },
  'sales_createLeadCaptureForm campaignId': { caller: () => f.setupAdmin, send: (c, id) => post('/sales/lead-capture-forms')(c, { name: 'Matrix form', campaignId: id }), outOfScope: NO_CAMPAIGNS, state: rows('sales.lead_capture_form'), answer: { status: 422, code: 'marketing.campaign.unknown' } },
  // ---- lead assignment rules (wt-e)
  'sales_createLeadAssignmentRule assignTo.userId': { caller: () => f.setupAdmin, send: (c, id) => post('/sales/lead-assignment-rules')(c, { name: 'Matrix', priority: 1, criteria: {}, assignTo: { userId: id }, strategy: 'round-robin' }), outOfScope: () => f.repB.id, state: rows('sales.lead_assignment_rule'), answer: { status: 422 } },
  'sales_createLeadAssignmentRule assignTo.orgUnitId': { caller: () => f.setupAdmin, send: (c, id) => post('/sales/lead-assignment-rules')(c, { name: 'Matrix', priority: 1, criteria: {}, assignTo: { orgUnitId: id }, strategy: 'round-robin' }), outOfScope: () => f.unitB, state: rows('sales.lead_assignment_rule'), answer: { status: 422 } },
  'sales_updateLeadAssignmentRule assignTo.userId': { caller: () => f.setupAdmin, send: (c, id) => patch(`/sales/lead-assignment-rules/${f.rule.id}`)(c, { assignTo: { userId: id } }), outOfScope: () => f.repB.id, state: ver('sales.lead_assignment_rule', () => f.rule.id), answer: { status: 422 } },
  'sales_updateLeadAssignmentRule assignTo.orgUnitId': { caller: () => f.setupAdmin, send: (c, id) => patch(`/sales/lead-assignment-rules/${f.rule.id}`)(c, { assignTo: { orgUnitId: id } }), outOfScope: () => f.unitB, state: ver('sales.lead_assignment_rule', () => f.rule.id), answer: { status: 422 } },
  // ---- opportunities
  'sales_createOpportunity accountId': { caller: () => f.rep, send: (c, id) => post('/sales/opportunities')(c, oppBody({ accountId: id })), outOfScope: () => f.accountB.id, state: rows('sales.opportunity'), answer: { status: 422, code: 'sales.account.unknown' } },
  'sales_createOpportunity campaignId': { caller: () => f.rep, send: (c, id) => post('/sales/opportunities')(c, oppBody({ campaignId: id })), outOfScope: NO_CAMPAIGNS, state: rows('sales.opportunity'), answer: { status: 422, code: 'marketing.campaign.unknown' } },
  'sales_createOpportunity leadId': { caller: () => f.rep, send: (c, id) => post('/sales/opportunities')(c, oppBody({ leadId: id })), outOfScope: () => f.leadB.id, state: rows('sales.opportunity'), answer: { status: 422, code: 'sales.lead.unknown' } },
  'sales_createOpportunity ownerId': { caller: () => f.rep, send: (c, id) => post('/sales/opportunities')(c, oppBody({ ownerId: id })), outOfScope: () => f.repB.id, state: rows('sales.opportunity'), answer: { status: 422, code: 'sales.owner.unknown-user' } },
  'sales_createOpportunity salesMethodId': { caller: () => f.rep, send: (c, id) => post('/sales/opportunities')(c, oppBody({ salesMethodId: id })), outOfScope: NOT_SCOPED('sales methods'), state: rows('sales.opportunity'), answer: { status: 422, code: 'sales.sales-method.unknown' } },
  'sales_updateOpportunity campaignId': { caller: () => f.rep, send: (c, id) => patch(`/sales/opportunities/${f.oppA.id}`)(c, { campaignId: id }), outOfScope: NO_CAMPAIGNS, state: ver('sales.opportunity', () => f.oppA.id), answer: { status: 422, code: 'marketing.campaign.unknown' } },
  'sales_updateOpportunity ownerId': { caller: () => f.rep, send: (c, id) => patch(`/sales/opportunities/${f.oppA.id}`)(c, { ownerId: id }), outOfScope: () => f.repB.id, state: ver('sales.opportunity', () => f.oppA.id), answer: { status: 422, code: 'sales.owner.unknown-user' } },
  'sales_addOpportunityCompetitor competitorId': { caller: () => f.rep, send: (c, id) => post(`/sales/opportunities/${f.oppA.id}/competitors`)(c, { competitorId: id }), outOfScope: NOT_SCOPED('competitors'), state: rows('sales.opportunity_competitor'), answer: { status: 422, code: 'sales.competitor.unknown' } },
  'sales_removeOpportunityCompetitor path:competitorId': { caller: () => f.rep, send: (c, id) => app.http.delete(`${API}/sales/opportunities/${f.oppA.id}/competitors/${id}`).set(c.auth), outOfScope: NOT_SCOPED('competitors'), state: rows('sales.opportunity_competitor'), answer: { status: 404, code: 'not-found' } },
  'sales_setOpportunityContactRole contactId': { caller: () => f.rep, send: (c, id) => post(`/sales/opportunities/${f.oppA.id}/contact-roles`)(c, { contactId: id, role: 'user', attitude: 'neutral' }), outOfScope: () => f.hiddenContact.id, state: rows('sales.opportunity_contact_role'), answer: { status: 422, code: 'sales.opportunity.contact-not-at-account' } },
  'sales_removeOpportunityContactRole path:contactId': { caller: () => f.rep, send: (c, id) => app.http.delete(`${API}/sales/opportunities/${f.oppA.id}/contact-roles/${id}`).set(c.auth), outOfScope: () => f.hiddenContact.id, state: rows('sales.opportunity_contact_role'), answer: { status: 404, code: 'not-found' } },
  // ---- activities
  'sales_createActivity ownerId': { caller: () => f.rep, send: (c, id) => post('/sales/activities')(c, activityBody({ ownerId: id })), outOfScope: () => f.repB.id, state: rows('sales.activity'), answer: { status: 422, code: 'sales.owner.unknown-user' } },
  'sales_createActivity participantIds': { caller: () => f.narrow, send: (c, id) => post('/sales/activities')(c, activityBody({ participantIds: [f.colleague.id, id] })), outOfScope: () => f.repB.id, state: rows('sales.activity'), answer: { status: 422, code: 'sales.user.unknown' } },
  'sales_createActivity related.id': { caller: () => f.rep, send: (c, id) => post('/sales/activities')(c, activityBody({ related: { type: 'opportunity', id } })), outOfScope: () => f.oppB.id, state: rows('sales.activity'), answer: { status: 422, code: 'sales.activity.unknown-related' } },
  'sales_updateActivity ownerId': { caller: () => f.rep, send: (c, id) => patch(`/sales/activities/${f.activityA.id}`)(c, { ownerId: id }), outOfScope: () => f.repB.id, state: ver('sales.activity', () => f.activityA.id), answer: { status: 422, code: 'sales.owner.unknown-user' } },
  'sales_updateActivity participantIds': { caller: () => f.narrow, send: (c, id) => patch(`/sales/activities/${f.activityN.id}`)(c, { participantIds: [id] }), outOfScope: () => f.repB.id, state: ver('sales.activity', () => f.activityN.id), answer: { status: 422, code: 'sales.user.unknown' } },
  'sales_updateActivity related.id': { caller: () => f.rep, send: (c, id) => patch(`/sales/activities/${f.activityA.id}`)(c, { related: { type: 'contact', id } }), outOfScope: () => f.contactB.id, state: ver('sales.activity', () => f.activityA.id), answer: { status: 422, code: 'sales.activity.unknown-related' } },
  // ---- ownership transfers
  'sales_transferOwnership fromUserId': { caller: () => f.manager, send: (c, id) => post('/sales/ownership-transfers')(c, { fromUserId: id, toUserId: f.colleague.id }), outOfScope: () => f.repB.id, state: rows('sales.ownership_transfer'), answer: { status: 422, code: 'sales.owner.unknown-user' } },
  'sales_transferOwnership toUserId': { caller: () => f.manager, send: (c, id) => post('/sales/ownership-transfers')(c, { fromUserId: f.colleague.id, toUserId: id }), outOfScope: () => f.repB.id, state: rows('sales.ownership_transfer'), answer: { status: 422, code: 'sales.owner.unknown-user' } },

  // ---- Workflow
  'workflow_createDelegation fromUserId': { caller: () => f.narrow, send: (c, id) => post('/workflow/delegations')(c, delegationBody({ fromUserId: id, toUserId: f.colleague.id })), outOfScope: () => f.repB.id, state: rows('workflow.delegation'), answer: { status: 422, code: 'workflow.delegation.unknown-user' } },
  'workflow_createDelegation toUserId': { caller: () => f.narrow, send: (c, id) => post('/workflow/delegations')(c, delegationBody({ toUserId: id })), outOfScope: () => f.repB.id, state: rows('workflow.delegation'), answer: { status: 422, code: 'workflow.delegation.unknown-user' } },
  'workflow_delegateTask toUserId': { caller: () => f.narrow, send: (c, id) => post(`/workflow/tasks/${f.task.id}/delegate`)(c, { toUserId: id }), outOfScope: () => f.repB.id, state: async () => [await version('workflow.task', f.task.id), await count('workflow.task')], answer: { status: 422, code: 'workflow.task.unknown-delegate' } },
  'workflow_simulateApproval requesterId': { caller: () => f.narrow, send: (c, id) => post('/workflow/process-definitions/simulate')(c, { subjectType: TEST_SUBJECT, requesterId: id }), outOfScope: () => f.repB.id, state: rows('workflow.approval_instance'), answer: { status: 422, code: 'identity.user.unknown' } },
  'workflow_simulateApproval requesterOrgUnitId': { caller: () => f.narrow, send: (c, id) => post('/workflow/process-definitions/simulate')(c, { subjectType: TEST_SUBJECT, requesterId: f.colleague.id, requesterOrgUnitId: id }), outOfScope: orgUnitOutOfScope, state: rows('workflow.approval_instance'), answer: { status: 422, code: 'identity.org-unit.unknown' } },
  'workflow_createProcessDefinition steps[].approver.userId': { caller: () => f.narrow, send: (c, id) => post('/workflow/process-definitions')(c, definitionBody(`matrix-${randomUUID().slice(0, 8)}`, id)), outOfScope: () => f.repB.id, state: rows('workflow.process_definition'), answer: { status: 422, code: 'identity.user.unknown' } },
  'workflow_createProcessDefinition steps[].approver.orgUnitId': { caller: () => f.narrow, send: (c, id) => post('/workflow/process-definitions')(c, orgHeadDefinition(`matrix-${randomUUID().slice(0, 8)}`, id)), outOfScope: orgUnitOutOfScope, state: rows('workflow.process_definition'), answer: { status: 422, code: 'identity.org-unit.unknown' } },
  'workflow_updateProcessDefinition steps[].approver.userId': { caller: () => f.narrow, send: (c, id) => put(`/workflow/process-definitions/${f.definition.id}`)(c, withoutKey(definitionBody('matrix-quote', id))), outOfScope: () => f.repB.id, state: ver('workflow.process_definition', () => f.definition.id), answer: { status: 422, code: 'identity.user.unknown' } },
  'workflow_updateProcessDefinition steps[].approver.orgUnitId': { caller: () => f.narrow, send: (c, id) => put(`/workflow/process-definitions/${f.definition.id}`)(c, withoutKey(orgHeadDefinition('matrix-quote', id))), outOfScope: orgUnitOutOfScope, state: ver('workflow.process_definition', () => f.definition.id), answer: { status: 422, code: 'identity.org-unit.unknown' } },

  // ---- Finance (wt-c)
  'finance_createCostCentre ownerId': { caller: () => f.narrow, send: (c, id) => post('/finance/cost-centres')(c, centreBody({ ownerId: id })), outOfScope: () => f.repB.id, state: rows('finance.cost_centre'), answer: { status: 422 } },
  'finance_createCostCentre subjectId': { caller: () => f.narrow, send: (c, id) => post('/finance/cost-centres')(c, centreBody({ subjectType: 'sales.opportunity', subjectId: id })), outOfScope: () => f.oppB.id, state: rows('finance.cost_centre'), answer: { status: 422 } },
  'finance_updateCostCentre ownerId': { caller: () => f.narrow, send: (c, id) => patch(`/finance/cost-centres/${f.centreN.id}`)(c, { ownerId: id }), outOfScope: () => f.repB.id, state: ver('finance.cost_centre', () => f.centreN.id), answer: { status: 422 } },
  'finance_createExpenseClaim accountId': { caller: () => f.rep, send: (c, id) => post('/finance/expense-claims')(c, claimBody({ accountId: id })), outOfScope: () => f.accountB.id, state: rows('finance.expense_claim'), answer: { status: 422 } },
  'finance_createExpenseClaim campaignId': { caller: () => f.rep, send: (c, id) => post('/finance/expense-claims')(c, claimBody({ campaignId: id })), outOfScope: NO_CAMPAIGNS, state: rows('finance.expense_claim'), answer: { status: 422 } },
  'finance_createExpenseClaim costCentreId': { caller: () => f.rep, send: (c, id) => post('/finance/expense-claims')(c, claimBody({ costCentreId: id })), outOfScope: () => f.centreB.id, state: rows('finance.expense_claim'), answer: { status: 422 } },
  'finance_createExpenseClaim productId': { caller: () => f.rep, send: (c, id) => post('/finance/expense-claims')(c, claimBody({ productId: id })), outOfScope: NO_PRODUCTS, state: rows('finance.expense_claim'), answer: { status: 422 } },
  'finance_updateExpenseClaim accountId': { caller: () => f.rep, send: (c, id) => patch(`/finance/expense-claims/${f.claimA.id}`)(c, { accountId: id }), outOfScope: () => f.accountB.id, state: ver('finance.expense_claim', () => f.claimA.id), answer: { status: 422 } },
  'finance_updateExpenseClaim campaignId': { caller: () => f.rep, send: (c, id) => patch(`/finance/expense-claims/${f.claimA.id}`)(c, { campaignId: id }), outOfScope: NO_CAMPAIGNS, state: ver('finance.expense_claim', () => f.claimA.id), answer: { status: 422 } },
  'finance_updateExpenseClaim costCentreId': { caller: () => f.rep, send: (c, id) => patch(`/finance/expense-claims/${f.claimA.id}`)(c, { costCentreId: id }), outOfScope: () => f.centreB.id, state: ver('finance.expense_claim', () => f.claimA.id), answer: { status: 422 } },
  'finance_updateExpenseClaim productId': { caller: () => f.rep, send: (c, id) => patch(`/finance/expense-claims/${f.claimA.id}`)(c, { productId: id }), outOfScope: NO_PRODUCTS, state: ver('finance.expense_claim', () => f.claimA.id), answer: { status: 422 } },
  'finance_createAdvance costCentreId': { caller: () => f.rep, send: (c, id) => post('/finance/advances')(c, { costCentreId: id, amountMinor: 1000, currency: 'EUR', purpose: 'Trip' }), outOfScope: () => f.centreB.id, state: rows('finance.advance'), answer: { status: 422 } },
  'finance_recordIncome accountId': { caller: () => f.narrow, send: (c, id) => post('/finance/incomes')(c, incomeBody({ accountId: id })), outOfScope: () => f.accountB.id, state: rows('finance.income'), answer: { status: 422 } },
  'finance_recordIncome costCentreId': { caller: () => f.narrow, send: (c, id) => post('/finance/incomes')(c, incomeBody({ costCentreId: id })), outOfScope: () => f.centreB.id, state: rows('finance.income'), answer: { status: 422 } },
  'finance_settleReconciliation path:userId': { caller: () => f.narrow, send: (c, id) => post(`/finance/reconciliations/${id}/settlements`)(c, settlementBody({})), outOfScope: () => f.repB.id, state: rows('finance.settlement'), answer: { status: 404 } },
  'finance_settleReconciliation costCentreId': { caller: () => f.narrow, send: (c, id) => post(`/finance/reconciliations/${f.narrow.id}/settlements`)(c, settlementBody({ costCentreId: id })), outOfScope: () => f.centreB.id, state: rows('finance.settlement'), answer: { status: 422 } },

  // ---- Identity (wt-a)
  'identity_createUser accountId': { caller: () => f.narrow, send: (c, id) => post('/identity/users')(c, userBody({ kind: 'partner', accountId: id, orgUnitId: null })), outOfScope: () => f.accountB.id, state: rows('platform.app_user'), answer: { status: 422 } },
  'identity_createUser managerId': { caller: () => f.narrow, send: (c, id) => post('/identity/users')(c, userBody({ managerId: id })), outOfScope: () => f.repB.id, state: rows('platform.app_user'), answer: { status: 422 } },
  'identity_createUser orgUnitId': { caller: () => f.narrow, send: (c, id) => post('/identity/users')(c, userBody({ orgUnitId: id })), outOfScope: () => f.unitB, state: rows('platform.app_user'), answer: { status: 422 } },
  'identity_updateUser accountId': { caller: () => f.narrow, send: (c, id) => patch(`/identity/users/${f.sparePartner.id}`)(c, { accountId: id }), outOfScope: () => f.accountB.id, state: ver('platform.app_user', () => f.sparePartner.id), answer: { status: 422 } },
  'identity_updateUser managerId': { caller: () => f.narrow, send: (c, id) => patch(`/identity/users/${f.spare.id}`)(c, { managerId: id }), outOfScope: () => f.repB.id, state: ver('platform.app_user', () => f.spare.id), answer: { status: 422 } },
  'identity_updateUser orgUnitId': { caller: () => f.narrow, send: (c, id) => patch(`/identity/users/${f.spare.id}`)(c, { orgUnitId: id }), outOfScope: () => f.unitB, state: ver('platform.app_user', () => f.spare.id), answer: { status: 422 } },
  'identity_createOrgUnit headUserId': { caller: () => f.narrow, send: (c, id) => post('/identity/org-units')(c, { name: given.unique('Unit'), type: 'team', headUserId: id }), outOfScope: () => f.repB.id, state: rows('platform.org_unit'), answer: { status: 422 } },
  'identity_createOrgUnit parentId': { caller: () => f.narrow, send: (c, id) => post('/identity/org-units')(c, { name: given.unique('Unit'), type: 'team', parentId: id }), outOfScope: () => f.groupB, state: rows('platform.org_unit'), answer: { status: 422 } },
  'identity_updateOrgUnit headUserId': { caller: () => f.narrow, send: (c, id) => patch(`/identity/org-units/${f.spareUnit}`)(c, { headUserId: id }), outOfScope: () => f.repB.id, state: ver('platform.org_unit', () => f.spareUnit), answer: { status: 422 } },
  'identity_updateOrgUnit parentId': { caller: () => f.narrow, send: (c, id) => patch(`/identity/org-units/${f.spareUnit}`)(c, { parentId: id }), outOfScope: () => f.groupB, state: ver('platform.org_unit', () => f.spareUnit), answer: { status: 422 } },
};

const withoutKey = ({ key: _key, ...body }: Record<string, unknown>) => body;
const oppBody = (over: Record<string, unknown>) => ({ name: given.unique('Deal'), accountId: f.accountA.id, amountMinor: 1000, currency: 'EUR', closeDate: '2026-12-31', ...over });
const delegationBody = (over: Record<string, unknown>) => ({ toUserId: f.colleague.id, startsAt: '2026-08-01T00:00:00Z', endsAt: '2026-08-15T00:00:00Z', ...over });
const orgHeadDefinition = (key: string, orgUnitId: string) => definitionBody(key, '', { steps: [{ name: 'Unit head', approver: { type: 'org-unit-head', orgUnitId }, mode: 'any' }] });
const centreBody = (over: Record<string, unknown>) => ({ name: given.unique('Centre'), subjectType: 'department', capMinor: 10_000, warningLineMinor: 8_000, currency: 'EUR', ...over });
const incomeBody = (over: Record<string, unknown>) => ({ costCentreId: f.centreN.id, amountMinor: 1000, currency: 'EUR', receivedOn: '2026-03-02', source: 'Customer payment', ...over });
const settlementBody = (over: Record<string, unknown>) => ({ currency: 'EUR', direction: 'employee-returns', amountMinor: 100, ...over });
const userBody = (over: Record<string, unknown>) => ({ email: `matrix-${randomUUID()}@example.com`, name: 'Matrix user', password: 'matrix-password-123', roles: [], orgUnitId: f.unitA, ...over });

/** Every reference the document shows: `<operationId> <field>` (body paths; `path:<name>` for path parameters). */
function enumerate(doc: any): Map<string, { method: string; path: string }> {
  const resolve = (s: any): any => {
    for (let i = 0; s?.$ref && i < 20; i++) s = s.$ref.replace(/^#\//, '').split('/').reduce((o: any, k: string) => o?.[k], doc);
    return s ?? {};
  };
  const found = new Map<string, { method: string; path: string }>();
  const walk = (schema: any, prefix: string, into: Set<string>, depth = 0) => {
    const s = resolve(schema);
    if (depth > 10) return;
    for (const key of ['allOf', 'oneOf', 'anyOf']) for (const part of s[key] ?? []) walk(part, prefix, into, depth + 1);
    if (s.items) walk(s.items, `${prefix}[]`, into, depth + 1);
    for (const [name, property] of Object.entries<any>(s.properties ?? {})) {
      const field = prefix ? `${prefix}.${name}` : name;
      if (/Ids?$/.test(name) || (name === 'id' && /(^|\.)related$/.test(prefix))) into.add(field);
      walk(property, field, into, depth + 1);
    }
  };
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (!WRITE.has(method)) continue;
      const fields = new Set<string>();
      const schema = op.requestBody?.content?.['application/json']?.schema;
      if (schema) walk(schema, '', fields);
      for (const p of op.parameters ?? []) if (p.in === 'path' && /Id$/.test(p.name)) fields.add(`path:${p.name}`);
      for (const field of fields) found.set(`${op.operationId} ${field}`, { method, path });
    }
  }
  return found;
}

/** The answer with the id taken out (and what differs per request): what a client can compare. */
function shape(res: Res, id: string) {
  const { requestId: _r, instance: _i, ...body } = res.body ?? {};
  return { status: res.status, body: JSON.parse(JSON.stringify(body).split(id).join('<id>')) };
}

async function written(c: Case): Promise<unknown> {
  return { audit: await count('platform.audit_entries'), outbox: await count('platform.outbox_events'), state: await c.state?.() };
}

// Runs first: the matrix's refused writes must not be needed here, and (before the other
// branches merge) the writes it could not refuse yet must not change these arrangements.
it('keeps the ids system use cases carry (a campaign from a campaign response survives claim and conversion), and checks only what a PATCH adds', async () => {
  const campaignId = randomUUID();
  const eventId = await publishForeignEvent(app, 'marketing.campaign-response.received', { responseId: randomUUID(), campaignId, lastName: 'Responder', region: 'Matrixland' });
  await drainEvents(app);
  const [lead] = await app.sql<{ id: string; campaign_id: string }>(`SELECT id, campaign_id FROM sales.lead WHERE source_event_id = $1`, [eventId]);
  expect(lead.campaign_id).toBe(campaignId);
  ok(await post(`/sales/leads/${lead.id}/claim`)(f.rep, {}), 200);
  const converted = ok(await post(`/sales/leads/${lead.id}/convert`)(f.rep, { createOpportunity: true, opportunity: { amountMinor: 5000, currency: 'EUR', closeDate: '2026-12-31' } }), 200);
  expect(ok(await app.http.get(`${API}/sales/opportunities/${converted.opportunityId}`).set(f.rep.auth), 200)).toMatchObject({ leadId: lead.id, campaignId });
  // The same campaign id from a caller: unknown until Marketing registers its campaigns.
  const refused = await post('/sales/leads')(f.rep, { lastName: 'Named', campaignId });
  expect({ status: refused.status, code: refused.body.code, errors: refused.body.errors }).toEqual({ status: 422, code: 'marketing.campaign.unknown', errors: [{ field: 'campaignId', message: expect.any(String) }] });

  // A participant the caller cannot see (put there by an admin) stays; adding one is checked.
  const meeting = ok(await post('/sales/activities')(admin, activityBody({ ownerId: f.narrow.id, participantIds: [f.repB.id] })));
  const kept = ok(await patch(`/sales/activities/${meeting.id}`)(f.narrow, { participantIds: [f.repB.id, f.colleague.id] }), 200);
  expect(kept.participantIds).toEqual([f.repB.id, f.colleague.id]);
  const added = await patch(`/sales/activities/${meeting.id}`)(f.narrow, { participantIds: [f.repB.id, f.colleague.id, f.manager.id, randomUUID()] });
  expect({ status: added.status, code: added.body.code, errors: added.body.errors }).toEqual({ status: 422, code: 'sales.user.unknown', errors: [{ field: 'participantIds[3]', message: expect.any(String) }] });
  expect(await version('sales.activity', meeting.id)).toBe(kept.version);
});

it('reference matrix: every *Id of every write × an out-of-scope record → the unknown-id answer, nothing written', async () => {
  const doc = buildOpenApiDocument(app.running.app) as any;
  const references = enumerate(doc);
  for (const free of FREE_FORM) {
    const [schema, property] = free.describedBy.split('.');
    const description: string = doc.components.schemas[schema]?.properties?.[property]?.description ?? '';
    expect({ reference: `${free.op} ${free.field}`, described: description.includes(free.field.split('.').pop()!) }).toEqual({ reference: `${free.op} ${free.field}`, described: true });
    const op = Object.values<any>(doc.paths).flatMap((item) => Object.values<any>(item)).find((o) => o.operationId === free.op);
    if (op) references.set(`${free.op} ${free.field}`, { method: '', path: '' });
  }
  const exempt = [...references.keys()].filter((k) => k in EXEMPT);
  const checked = [...references.keys()].filter((k) => !(k in EXEMPT)).sort();

  // The table and the document agree: no reference without a case, no case without a reference.
  expect({ withoutCase: checked.filter((k) => !(k in CASES)) }).toEqual({ withoutCase: [] });
  expect({ staleCases: Object.keys(CASES).filter((k) => !references.has(k)), staleExemptions: Object.keys(EXEMPT).filter((k) => !references.has(k)) }).toEqual({ staleCases: [], staleExemptions: [] });

  const failures: string[] = [];
  let outOfScopeChecked = 0;
  for (const key of checked) {
    const c = CASES[key];
    const field = key.split(' ')[1];
    const bodyField = !field.startsWith('path:');
    const unknown = randomUUID();
    const hidden = c.outOfScope();
    const before = await written(c);
    const answers: Array<{ kind: string; id: string; res: Res }> = [{ kind: 'unknown', id: unknown, res: await c.send(c.caller(), unknown) }];
    if (typeof hidden === 'string') {
      answers.push({ kind: 'out of scope', id: hidden, res: await c.send(c.caller(), hidden) });
      outOfScopeChecked++;
    }
    const after = await written(c);
    const problems: string[] = [];
    const expectedStatus = c.answer?.status ?? (bodyField ? 422 : 404);
    for (const { kind, res } of answers) {
      if (res.status !== expectedStatus) problems.push(`${kind} → ${res.status} (expected ${expectedStatus}) ${res.text.slice(0, 200)}`);
      if (c.answer?.code && res.body?.code !== c.answer.code) problems.push(`${kind} → code ${res.body?.code} (expected ${c.answer.code})`);
      // The field is named as the request path names it (`steps[0].approver.userId`, `participantIds[1]`).
      const bare = (name: string) => name.replace(/\[\d*\]/g, '');
      const fields: string[] = (res.body?.errors ?? []).map((e: { field: string }) => bare(e.field));
      if (bodyField && res.status === 422 && !fields.includes(bare(field))) problems.push(`${kind} → errors[].field ${JSON.stringify(fields)} (expected ${field})`);
    }
    if (answers.length === 2) {
      const [a, b] = answers.map((x) => shape(x.res, x.id));
      if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(`out of scope and unknown answer differently: ${JSON.stringify(b)} vs ${JSON.stringify(a)}`);
      const leaked = [f.repB.id, f.repB.email, f.accountB.name, f.oppB.name, f.hiddenContact.lastName].filter((secret) => typeof hidden === 'string' && secret !== hidden && answers[1].res.text.includes(secret));
      if (leaked.length) problems.push(`out-of-scope answer leaks ${leaked.join(', ')}`);
    }
    if (JSON.stringify(after) !== JSON.stringify(before)) problems.push(`wrote something: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
    if (problems.length) failures.push(`${key}: ${problems.join('; ')}`);
  }
  console.log(
    `reference matrix: ${checked.length} references checked (${outOfScopeChecked} with an out-of-scope record, ${checked.length - outOfScopeChecked} unknown-only), ${exempt.length} exempt, ${failures.length} failing` +
      (failures.length ? `\n  ${failures.join('\n  ')}` : ''),
  );
  expect(failures).toEqual([]);
  expect(checked.length).toBeGreaterThan(50);
}, 300_000);
