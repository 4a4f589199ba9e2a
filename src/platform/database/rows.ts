import { queryPrepared } from './prepared.js';
import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Lean single-row reads and writes for the hot paths (one record by id, create): one SQL
 * statement each (reads by id prepared once per connection, see `queryPrepared`), and rows turned into entities from TypeORM's column metadata — the same value
 * conversions as `find*()` (`prepareHydratedValue`: types, transformers), without building a
 * query with aliases per call. Columns declared `select: false` are left out, as `find*()` does;
 * relations are not loaded (load them explicitly where needed).
 */

const selectSql = new WeakMap<EntityMetadata, string>();

function selectById(metadata: EntityMetadata): string {
  let sql = selectSql.get(metadata);
  if (!sql) {
    const columns = metadata.columns.filter((c) => c.isSelect && !c.isVirtual).map((c) => `"${c.databaseName}"`);
    sql = `SELECT ${columns.join(', ')} FROM ${metadata.tablePath.split('.').map((p) => `"${p}"`).join('.')} WHERE "id" = $1`;
    selectSql.set(metadata, sql);
  }
  return sql;
}

/** An entity from a raw row (column names as in the database). */
export function hydrate<T extends ObjectLiteral>(em: EntityManager, entity: EntityTarget<T>, raw: Record<string, unknown>): T {
  const metadata = em.connection.getMetadata(entity);
  const driver = em.connection.driver;
  const record = metadata.create(em.queryRunner, { fromDeserializer: true }) as T;
  for (const column of metadata.columns) {
    if (!column.isSelect || column.isVirtual) continue;
    const value = raw[column.databaseName];
    if (value === undefined) continue;
    column.setEntityValue(record, driver.prepareHydratedValue(value, column));
  }
  return record;
}

/** The row with this id (`FOR UPDATE` with `lock`), or null. */
export async function findById<T extends ObjectLiteral>(
  em: EntityManager,
  entity: EntityTarget<T>,
  id: string,
  options: { lock?: boolean } = {},
): Promise<T | null> {
  const metadata = em.connection.getMetadata(entity);
  const rows = await queryPrepared<Record<string, unknown>>(em, options.lock ? `${selectById(metadata)} FOR UPDATE` : selectById(metadata), [id]);
  return rows.length ? hydrate(em, entity, rows[0]) : null;
}

/** Inserts the record and returns the stored row (defaults, timestamps) in one statement. */
export async function insertReturning<T extends ObjectLiteral>(em: EntityManager, entity: EntityTarget<T>, values: T): Promise<T> {
  // What `execute()` would do first: the entity's @BeforeInsert listeners (ids, derived fields).
  for (const listener of em.connection.getMetadata(entity).beforeInsertListeners) {
    if (listener.isAllowed(values)) await listener.execute(values);
  }
  const [sql, parameters] = em.createQueryBuilder().insert().into(entity).values(values as never).returning('*').updateEntity(false).getQueryAndParameters();
  // The text varies only with which columns are given (DEFAULT for the others): few per entity.
  const [row] = await queryPrepared<Record<string, unknown>>(em, sql, parameters);
  return hydrate(em, entity, row);
}
