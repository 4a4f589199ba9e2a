import { hasRealPostgres } from '../support/database';
import { authHeader } from '../support/identity';
import type { TestApp } from '../support/test-app';
import { ok, salesFixtures, startSalesApp } from './given';

/**
 * Issue #14 (6): assignment rules deleted or changed while leads are being created. A lead
 * whose matching rule disappears between the rule read and the round-robin turn falls through
 * to the next matching rule, or to no rule (the caller, or the pool for web-form leads) —
 * never a 500. Needs a real PostgreSQL: the embedded server runs one transaction at a time, so
 * a rule can never vanish in the middle of another request's assignment there.
 */
const real = hasRealPostgres();
const itReal = real ? it : it.skip;
if (!real) console.warn('[lead assignment race] skipped: concurrent creates racing rule deletes need a real PostgreSQL (set DATABASE_URL)');

const LEADS = 120;
const REGION = 'RACE';

let app: TestApp;
let baseUrl: string;
let given: ReturnType<typeof salesFixtures>;
let admin: { auth: { authorization: string } };

beforeAll(async () => {
  if (!real) return;
  app = await startSalesApp();
  await app.running.app.listen(0, '127.0.0.1');
  baseUrl = await app.running.app.getUrl();
  given = salesFixtures(app);
  admin = { auth: authHeader(await given.identity.adminToken()) };
});
afterAll(() => app?.close());

async function call(method: string, path: string, headers: Record<string, string>, body?: object): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Racing rules (priority 1…n) over two units, the ones to delete and the ones to change. */
async function racingRules(units: Array<{ id: string }>, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const rule = ok(
      await app.http
        .post('/api/v1/sales/lead-assignment-rules')
        .set(admin.auth)
        .send({ name: `Race ${i}`, priority: i + 1, criteria: { regions: [REGION] }, assignTo: { orgUnitId: units[i % units.length].id }, strategy: i % 3 === 2 ? 'least-loaded' : 'round-robin' }),
    );
    ids.push(rule.id);
  }
  return ids;
}

/** Deletes half the racing rules and deactivates / re-targets the others while `creates` run. */
function churn(ruleIds: string[], otherUnit: { id: string }): Array<Promise<{ status: number; body: any }>> {
  return ruleIds.map((id, i) =>
    i % 2 === 0
      ? call('DELETE', `/api/v1/sales/lead-assignment-rules/${id}`, admin.auth)
      : call('PATCH', `/api/v1/sales/lead-assignment-rules/${id}`, admin.auth, i % 4 === 1 ? { active: false } : { criteria: { regions: ['ELSEWHERE'] }, assignTo: { orgUnitId: otherUnit.id } }),
  );
}

describe('lead assignment while the rules change', () => {
  itReal(`${LEADS} concurrent lead creates while rules are deleted and changed: no 5xx, each lead owned by a rule’s target or by the fallback`, async () => {
    const units = [await given.identity.orgUnit({ type: 'team' }), await given.identity.orgUnit({ type: 'team' })];
    const members: string[] = [];
    for (const unit of units) for (let i = 0; i < 2; i++) members.push((await given.identity.user({ roles: ['sales-rep'], orgUnitId: unit.id })).id);
    const elsewhere = await given.identity.orgUnit({ type: 'team' });
    const fallbackUser = await given.identity.user({ roles: ['sales-rep'], orgUnitId: elsewhere.id });
    const fallback = ok(
      await app.http.post('/api/v1/sales/lead-assignment-rules').set(admin.auth).send({ name: 'Race fallback', priority: 1000, criteria: { regions: [REGION] }, assignTo: { userId: fallbackUser.id }, strategy: 'round-robin' }),
    );
    const ruleIds = await racingRules(units, 12);

    const creates = Array.from({ length: LEADS }, (_, i) => call('POST', '/api/v1/sales/leads', admin.auth, { lastName: `Race ${i}`, company: `Race Co ${i}`, region: REGION }));
    const changes = churn(ruleIds, elsewhere);
    const [created, changed] = await Promise.all([Promise.all(creates), Promise.all(changes)]);

    expect(changed.map((r) => r.status).filter((s) => s !== 200 && s !== 204)).toEqual([]);
    expect(created.filter((r) => r.status !== 201).map((r) => `${r.status} ${JSON.stringify(r.body)}`)).toEqual([]);
    const allowed = new Set([...members, fallbackUser.id]);
    const rules = new Set([...ruleIds, fallback.id]);
    for (const { body: lead } of created) {
      expect(allowed.has(lead.ownerId)).toBe(true);
      expect(lead.status).toBe('assigned');
      expect(rules.has(lead.assignmentRuleId)).toBe(true);
    }
    const stored = await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM sales.lead WHERE region = $1 AND NOT (owner_id = ANY($2))`, [REGION, [...allowed]]);
    expect(stored).toEqual([{ n: 0 }]);
  });

  itReal(`${LEADS} concurrent web-form leads while every matching rule is deleted: no 5xx, each lead owned by a rule’s target or in the pool`, async () => {
    const region = `${REGION}-WEB`;
    const units = [await given.identity.orgUnit({ type: 'team' }), await given.identity.orgUnit({ type: 'team' })];
    const members: string[] = [];
    for (const unit of units) for (let i = 0; i < 2; i++) members.push((await given.identity.user({ roles: ['sales-rep'], orgUnitId: unit.id })).id);
    const ruleIds: string[] = [];
    for (let i = 0; i < 12; i++) {
      ruleIds.push(
        ok(await app.http.post('/api/v1/sales/lead-assignment-rules').set(admin.auth).send({ name: `Web race ${i}`, priority: i + 1, criteria: { regions: [region] }, assignTo: { orgUnitId: units[i % 2].id }, strategy: 'round-robin' })).id,
      );
    }
    const form = ok(await app.http.post('/api/v1/sales/lead-capture-forms').set(admin.auth).send({ name: 'Race form', ratePerMinute: 10_000, region }));

    const creates = Array.from({ length: LEADS }, (_, i) => call('POST', `/api/v1/sales/lead-capture/${form.formKey}`, {}, { lastName: `Web ${i}`, company: `Web Co ${i}` }));
    const deletes = ruleIds.map((id) => call('DELETE', `/api/v1/sales/lead-assignment-rules/${id}`, admin.auth));
    const [created, deleted] = await Promise.all([Promise.all(creates), Promise.all(deletes)]);

    expect(deleted.map((r) => r.status)).toEqual(ruleIds.map(() => 204));
    expect(created.filter((r) => r.status !== 201).map((r) => `${r.status} ${JSON.stringify(r.body)}`)).toEqual([]);
    const leads = await app.sql<{ owner_id: string | null; status: string; assignment_rule_id: string | null }>(
      `SELECT owner_id, status, assignment_rule_id FROM sales.lead WHERE region = $1`,
      [region],
    );
    expect(leads).toHaveLength(LEADS);
    for (const lead of leads) {
      if (lead.owner_id === null) expect(lead).toEqual({ owner_id: null, status: 'new', assignment_rule_id: null });
      else {
        expect(members).toContain(lead.owner_id);
        expect(ruleIds).toContain(lead.assignment_rule_id);
      }
    }
    // Once the rules are gone, new web leads wait in the pool.
    const after = await call('POST', `/api/v1/sales/lead-capture/${form.formKey}`, {}, { lastName: 'Late', company: 'Late Co' });
    expect(after.status).toBe(201);
    expect(await app.sql(`SELECT owner_id, status FROM sales.lead WHERE id = $1`, [after.body.id])).toEqual([{ owner_id: null, status: 'new' }]);
  });
});
