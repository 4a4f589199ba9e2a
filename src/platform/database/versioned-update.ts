import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { NotFoundError, StaleVersionError } from '../errors/domain-error.js';

/** If-Match against a row already read (and locked): 412 `stale-version` when the client saw another version. */
export function assertVersion(expected: number | undefined, current: number): void {
  if (expected !== undefined && expected !== current) throw new StaleVersionError(expected, current);
}

/**
 * One conditional UPDATE: applies `changes`, bumps `version` and `updated_at`, and — when the
 * caller sent `If-Match` — only if the row still has `expectedVersion`. Zero rows affected
 * means stale (412) or gone (404); TypeORM's `save()` checks neither.
 *
 * Returns the updated row, read back inside the same transaction.
 */
export async function updateVersioned<T extends ObjectLiteral & { id: string; version: number }>(
  em: EntityManager,
  entity: EntityTarget<T>,
  recordType: string,
  id: string,
  expectedVersion: number | undefined,
  changes: Partial<T>,
): Promise<T> {
  const qb = em
    .createQueryBuilder()
    .update(entity)
    .set({ ...(changes as object), version: () => 'version + 1', updatedAt: () => 'now()' } as never)
    .where('id = :id', { id });
  if (expectedVersion !== undefined) qb.andWhere('version = :expectedVersion', { expectedVersion });
  const result = await qb.execute();
  if (result.affected === 0) {
    const current = await em.getRepository(entity).findOne({ where: { id } as never, select: { version: true } as never });
    if (!current) throw new NotFoundError(recordType, id);
    throw new StaleVersionError(expectedVersion!, current.version);
  }
  return em.getRepository(entity).findOneByOrFail({ id } as never);
}
