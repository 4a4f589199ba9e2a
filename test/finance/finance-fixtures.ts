import { randomUUID } from 'node:crypto';
import { ClsService } from 'nestjs-cls';
import { Tx } from '../../src/platform/database/transaction';
import { EventPublisher } from '../../src/platform/events/event-publisher';
import { drainEvents } from '../support/events';
import { authHeader, identityFixtures, type FixtureUser } from '../support/identity';
import type { TestApp } from '../support/test-app';

export const CC = '/api/v1/finance/cost-centres';
export const CLAIMS = '/api/v1/finance/expense-claims';
export const ADVANCES = '/api/v1/finance/advances';

export interface Figures {
  capMinor: number;
  warningLineMinor: number;
  spentMinor: number;
  reservedMinor: number;
  availableMinor: number;
  status: string;
  version: number;
}

/**
 * Finance test data through the HTTP API, plus the Workflow side of the approval protocol
 * played by hand (publishing `workflow.approval.*` as Workflow would) until Workflow is merged.
 */
export function financeFixtures(app: TestApp) {
  const identity = identityFixtures(app);
  const admin = async () => authHeader(await identity.adminToken());

  async function publish(type: string, aggregateType: string, aggregateId: string, payload: object) {
    await app.get(ClsService).run(() => app.get(Tx).withTransaction(() => app.get(EventPublisher).publish({ type, aggregateType, aggregateId, payload })));
    await drainEvents(app);
  }

  return {
    identity,
    admin,
    publish,
    drain: () => drainEvents(app),

    /** A team with a manager, two employees of the manager and a finance clerk. */
    async team() {
      const unit = await identity.orgUnit();
      const manager = await identity.user({ roles: ['sales-manager'], orgUnitId: unit.id });
      const alice = await identity.user({ roles: ['sales-rep'], orgUnitId: unit.id, managerId: manager.id });
      const bob = await identity.user({ roles: ['sales-rep'], orgUnitId: unit.id, managerId: manager.id });
      const otherUnit = await identity.orgUnit();
      const stranger = await identity.user({ roles: ['sales-rep'], orgUnitId: otherUnit.id });
      const finance = await identity.user({ roles: ['finance'], orgUnitId: otherUnit.id });
      return { unit, manager, alice, bob, stranger, finance };
    },

    async centre(over: Record<string, unknown> = {}, auth?: { authorization: string }): Promise<{ id: string; code: string } & Figures> {
      const res = await app.http
        .post(CC)
        .set(auth ?? (await admin()))
        .send({ name: `Centre ${randomUUID().slice(0, 6)}`, subjectType: 'department', capMinor: 10_000, warningLineMinor: 8_000, currency: 'CNY', ...over });
      if (res.status !== 201) throw new Error(`create cost centre: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },

    async figures(id: string): Promise<Figures> {
      const res = await app.http.get(`${CC}/${id}`).set(await admin());
      if (res.status !== 200) throw new Error(`get cost centre: ${res.status}`);
      return res.body;
    },

    /** A draft claim of `user` with one line per amount. */
    async claim(user: FixtureUser, costCentreId: string, amounts: number[], over: Record<string, unknown> = {}): Promise<{ id: string; code: string; version: number; status: string }> {
      const res = await app.http
        .post(CLAIMS)
        .set(user.auth)
        .send({
          kind: 'reimbursement',
          costCentreId,
          title: 'Customer visit',
          currency: 'CNY',
          lines: amounts.map((amountMinor, i) => ({ category: i % 2 ? 'meals' : 'travel', date: `2026-03-0${(i % 9) + 1}`, amountMinor, receiptRef: `r-${i}` })),
          ...over,
        });
      if (res.status !== 201) throw new Error(`create claim: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },

    async submitted(user: FixtureUser, costCentreId: string, amounts: number[], over: Record<string, unknown> = {}) {
      const claim = await this.claim(user, costCentreId, amounts, over);
      const res = await app.http.post(`${CLAIMS}/${claim.id}/submit`).set(user.auth);
      if (res.status !== 200) throw new Error(`submit claim: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: string; code: string; version: number; status: string; totalMinor: number };
    },

    /** Plays Workflow: publishes `workflow.approval.<outcome>` for a Finance subject and delivers it. */
    async decide(subjectType: 'finance.expense-claim' | 'finance.advance', subjectId: string, outcome: 'approved' | 'rejected' | 'recalled', decidedBy: string | null = null) {
      const approvalId = randomUUID();
      await publish(`workflow.approval.${outcome}`, 'workflow.approval', approvalId, {
        approvalId, subjectType, subjectId, outcome, decidedBy, comment: `${outcome} in test`, automatic: decidedBy === null, decidedAt: new Date().toISOString(),
      });
      return approvalId;
    },

    /** The ledger sums of a centre, from the ledger table. */
    async ledgerSums(costCentreId: string) {
      const [row] = await app.sql<{ reserved: number; spent: number; income: number; n: number }>(
        `SELECT coalesce(sum(reserved_delta_minor), 0)::int AS reserved, coalesce(sum(spent_delta_minor), 0)::int AS spent,
                coalesce(sum(income_delta_minor), 0)::int AS income, count(*)::int AS n
           FROM finance.ledger_entry WHERE cost_centre_id = $1`,
        [costCentreId],
      );
      return row;
    },
  };
}
