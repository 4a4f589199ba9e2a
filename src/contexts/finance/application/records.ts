import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { NotFoundError } from '../../../platform/errors/domain-error.js';
import type { Actor } from '../../../platform/identity/domain/actor.js';
import type { DataScopeService } from '../../../platform/identity/application/data-scope.js';
import type { ApprovalDecided } from '../../workflow/public/approval-contract.js';

interface Scope {
  dataScope: DataScopeService;
  /** null: a system use case (consumer, job) — no scope applies. */
  actor: Actor | null;
  resource: string;
}

/** Loads a record of the caller's data scope (by its `ownerId`). Out of scope or missing → 404. */
export async function loadInScope<T extends ObjectLiteral & { id: string; ownerId: string | null }>(
  em: EntityManager,
  entity: EntityTarget<T>,
  recordType: string,
  id: string,
  scope: Scope,
  options: { lock?: boolean } = {},
): Promise<T> {
  const row = await em.getRepository(entity).findOne({ where: { id } as never, ...(options.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  if (!row) throw new NotFoundError(recordType, id);
  if (scope.actor && !(await scope.dataScope.canSee(scope.actor, scope.resource, { ownerId: row.ownerId }))) throw new NotFoundError(recordType, id);
  return row;
}

/**
 * {@link loadInScope}, locked `FOR UPDATE` for the rest of the use case's transaction (so its
 * checks and its update see the same row).
 */
export function loadForUpdate<T extends ObjectLiteral & { id: string; ownerId: string | null }>(
  em: EntityManager,
  entity: EntityTarget<T>,
  recordType: string,
  id: string,
  scope: Scope,
): Promise<T> {
  return loadInScope(em, entity, recordType, id, scope, { lock: true });
}

/** The decision columns an approval result sets on a claim or an advance. */
export function decisionFields(decided: ApprovalDecided) {
  return { approvalId: decided.approvalId, decidedAt: new Date(decided.decidedAt), decidedBy: decided.decidedBy, decisionComment: decided.comment };
}

/** Today's date (UTC) as `YYYY-MM-DD`. */
export const isoDate = (d: Date) => d.toISOString().slice(0, 10);
