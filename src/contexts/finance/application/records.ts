import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { NotFoundError, StaleVersionError } from '../../../platform/errors/domain-error.js';
import type { Actor } from '../../../platform/identity/actor.js';
import type { DataScopeService } from '../../../platform/identity/data-scope.js';

/**
 * Loads a record of the caller's data scope, locked `FOR UPDATE` for the rest of the use case's
 * transaction (so its checks and its update see the same row). Out of scope or missing → 404.
 */
export async function loadForUpdate<T extends ObjectLiteral & { id: string; ownerId: string | null }>(
  em: EntityManager,
  entity: EntityTarget<T>,
  recordType: string,
  id: string,
  scope: { dataScope: DataScopeService; actor: Actor | null; resource: string },
): Promise<T> {
  const row = await em.getRepository(entity).findOne({ where: { id } as never, lock: { mode: 'pessimistic_write' } });
  if (!row) throw new NotFoundError(recordType, id);
  if (scope.actor && !(await scope.dataScope.canSee(scope.actor, scope.resource, { ownerId: row.ownerId }))) throw new NotFoundError(recordType, id);
  return row;
}

/** If-Match against a locked row: 412 when the client saw another version. */
export function assertVersion(expected: number | undefined, current: number): void {
  if (expected !== undefined && expected !== current) throw new StaleVersionError(expected, current);
}

/** Today's date (UTC) as `YYYY-MM-DD`. */
export const isoDate = (d: Date) => d.toISOString().slice(0, 10);
