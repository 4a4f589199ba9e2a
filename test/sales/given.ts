import { ClsService } from 'nestjs-cls';
import { uuidv7 } from 'uuidv7';
import { Tx } from '../../src/platform/database/transaction';
import { EventPublisher } from '../../src/platform/events/event-publisher';
import { identityFixtures, type FixtureUser } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The app for a Sales test file, with background workers off: tests drive the event dispatcher
 * (`drainEvents`) and the scheduler (`SchedulerTestHook.runDue`) themselves, so effects happen
 * exactly when a test says. (With workers on, the embedded PGlite intermittently answers
 * "unnamed prepared statement does not exist" to queries issued outside a transaction while a
 * scheduler tick runs on another connection: a pglite-socket multiplexing problem.)
 */
export const startSalesApp = (env: Record<string, string> = {}) => startTestApp({ env: { WORKERS: 'false', ...env } });

/** Throws with the response body when the status is not the expected one (arrange steps). */
export function ok<T = any>(res: { status: number; body: any }, status = 201): T {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as T;
}

export const STAGES = [
  { key: 'qualify', name: 'Qualify', order: 1, probability: 10, terminal: null },
  { key: 'propose', name: 'Propose', order: 2, probability: 40, terminal: null },
  { key: 'negotiate', name: 'Negotiate', order: 3, probability: 70, terminal: null },
  { key: 'won', name: 'Won', order: 4, probability: 100, terminal: 'won' },
  { key: 'lost', name: 'Lost', order: 5, probability: 0, terminal: 'lost' },
];

let seq = 0;
const unique = (prefix: string) => `${prefix} ${Date.now().toString(36)}-${++seq}`;

/**
 * Sales test data through the HTTP API: a team with a manager and reps, plus factories for
 * accounts, contacts, leads, methods and opportunities owned by whoever's `auth` is passed.
 */
export function salesFixtures(app: TestApp) {
  const identity = identityFixtures(app);

  const post = async (user: { auth: object }, path: string, body: object, status = 201) =>
    ok(await app.http.post(`/api/v1/sales/${path}`).set(user.auth as Record<string, string>).send(body), status);

  return {
    identity,
    unique,

    /** A team unit with a manager and `reps` reps (sales-manager: team scope; sales-rep: own). */
    async team(reps = 2): Promise<{ unitId: string; manager: FixtureUser; reps: FixtureUser[] }> {
      const root = await identity.orgUnit({ type: 'group' });
      const unit = await identity.orgUnit({ type: 'team', parentId: root.id });
      const manager = await identity.user({ roles: ['sales-manager'], orgUnitId: unit.id });
      const members: FixtureUser[] = [];
      for (let i = 0; i < reps; i++) members.push(await identity.user({ roles: ['sales-rep'], orgUnitId: unit.id }));
      return { unitId: unit.id, manager, reps: members };
    },

    account: (user: { auth: object }, over: Record<string, unknown> = {}) => post(user, 'accounts', { name: unique('Account'), type: 'customer', ...over }),
    contact: (user: { auth: object }, accountId: string, over: Record<string, unknown> = {}) =>
      post(user, 'contacts', { accountId, lastName: unique('Contact'), ...over }),
    lead: (user: { auth: object }, over: Record<string, unknown> = {}) => post(user, 'leads', { lastName: unique('Lead'), company: unique('Company'), ...over }),
    method: (user: { auth: object }, over: Record<string, unknown> = {}) => post(user, 'sales-methods', { name: unique('Method'), stages: STAGES, ...over }),
    opportunity: (user: { auth: object }, accountId: string, over: Record<string, unknown> = {}) =>
      post(user, 'opportunities', { name: unique('Deal'), accountId, amountMinor: 100_000, currency: 'EUR', closeDate: '2026-12-31', ...over }),
    activity: (user: { auth: object }, over: Record<string, unknown> = {}) =>
      post(user, 'activities', { type: 'meeting', subject: unique('Meeting'), startAt: '2026-03-02T09:00:00.000Z', endAt: '2026-03-02T10:00:00.000Z', ...over }),
  };
}

/** Publishes an event from another context (as its producer would), committed to the outbox. */
export async function publishForeignEvent(app: TestApp, type: string, payload: object): Promise<string> {
  const aggregateId = uuidv7();
  const event = await app
    .get(ClsService)
    .run(() => app.get(Tx).withTransaction(() => app.get(EventPublisher).publish({ type, aggregateType: type.split('.').slice(0, 2).join('.'), aggregateId, payload })));
  return event.id;
}
