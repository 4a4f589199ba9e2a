import { queryPrepared } from './prepared.js';
import type { Driver, EntityManager, QueryRunner, EntityMetadata, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import { DriverUtils } from 'typeorm/driver/DriverUtils.js';

/**
 * Lean single-row reads and writes for the hot paths (one record by id, create): one SQL
 * statement each, prepared once per connection (see `queryPrepared`), and rows turned into
 * entities from TypeORM's column metadata — the same value conversions as `find*()`
 * (`prepareHydratedValue`: types, transformers), without building a query with aliases per
 * call. Columns declared `select: false` are left out, as `find*()` does; relations are not
 * loaded (load them explicitly where needed).
 */

/** The columns `find*()` returns (not `select: false`, not virtual). */
const selectedColumns = (metadata: EntityMetadata): ColumnMetadata[] => metadata.columns.filter((c) => c.isSelect && !c.isVirtual);

/** The entity's table as a quoted SQL name (`"schema"."table"`). */
export const quotedTable = (metadata: EntityMetadata): string => metadata.tablePath.split('.').map((p) => `"${p}"`).join('.');

const selectSql = new WeakMap<EntityMetadata, string>();

function selectById(metadata: EntityMetadata): string {
  let sql = selectSql.get(metadata);
  if (!sql) {
    sql = `SELECT ${selectedColumns(metadata).map((c) => `"${c.databaseName}"`).join(', ')} FROM ${quotedTable(metadata)} WHERE "id" = $1`;
    selectSql.set(metadata, sql);
  }
  return sql;
}

/** An entity from a raw row whose value of each selected column is under `keys[i]`. */
function toEntity<T>(
  metadata: EntityMetadata,
  driver: Driver,
  columns: ColumnMetadata[],
  keys: string[],
  raw: Record<string, unknown>,
  queryRunner?: QueryRunner,
): T {
  const record = metadata.create(queryRunner, { fromDeserializer: true }) as T;
  columns.forEach((column, i) => {
    const value = raw[keys[i]];
    if (value !== undefined) column.setEntityValue(record as ObjectLiteral, driver.prepareHydratedValue(value, column));
  });
  return record;
}

/** An entity from a raw row (column names as in the database). */
export function hydrate<T extends ObjectLiteral>(em: EntityManager, entity: EntityTarget<T>, raw: Record<string, unknown>): T {
  const metadata = em.connection.getMetadata(entity);
  const columns = selectedColumns(metadata);
  return toEntity<T>(metadata, em.connection.driver, columns, columns.map((c) => c.databaseName), raw, em.queryRunner);
}

/**
 * Entities from the raw rows of a query builder's `getRawMany()` over its main alias only (no
 * joined selections): the columns come back as `<alias>_<column>`, turned into entities as
 * {@link hydrate} does — cheaper than TypeORM's general result transformer for a page of rows.
 */
export function hydrateRaw<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, rows: Record<string, unknown>[]): T[] {
  const mainAlias = qb.expressionMap.mainAlias!;
  const metadata = mainAlias.metadata;
  const driver = qb.connection.driver;
  const columns = selectedColumns(metadata);
  const keys = columns.map((c) => DriverUtils.buildAlias(driver, undefined, mainAlias.name, c.databaseName));
  return rows.map((raw) => toEntity<T>(metadata, driver, columns, keys, raw));
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

const insertSql = new WeakMap<EntityMetadata, Map<string, string>>();

/** `INSERT … RETURNING *` of these columns (the others take their database defaults), built once. */
function insertInto(metadata: EntityMetadata, columns: string[]): string {
  let byColumns = insertSql.get(metadata);
  if (!byColumns) insertSql.set(metadata, (byColumns = new Map()));
  const key = columns.join(',');
  let sql = byColumns.get(key);
  if (!sql) {
    sql = `INSERT INTO ${quotedTable(metadata)} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`;
    byColumns.set(key, sql);
  }
  return sql;
}

/**
 * Inserts the record and returns the stored row (defaults, timestamps) in one statement: the
 * entity's @BeforeInsert listeners run first (as `save()` would), values are converted as
 * TypeORM persists them (`preparePersistentValue`: transformers, JSON, dates), columns left
 * undefined take their database defaults, and the statement is prepared once per column set.
 */
export async function insertReturning<T extends ObjectLiteral>(em: EntityManager, entity: EntityTarget<T>, values: T): Promise<T> {
  const metadata = em.connection.getMetadata(entity);
  for (const listener of metadata.beforeInsertListeners) {
    if (listener.isAllowed(values)) await listener.execute(values);
  }
  const driver = em.connection.driver;
  const columns: string[] = [];
  const parameters: unknown[] = [];
  for (const column of metadata.columns) {
    if (column.isVirtual || !column.isInsert) continue;
    const value: unknown = column.getEntityValue(values);
    if (value === undefined) continue;
    columns.push(column.databaseName);
    parameters.push(driver.preparePersistentValue(value, column));
  }
  const [row] = await queryPrepared<Record<string, unknown>>(em, insertInto(metadata, columns), parameters);
  return hydrate(em, entity, row);
}
