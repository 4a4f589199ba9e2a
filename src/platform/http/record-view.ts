import type { DataSource, EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import { bigintToNumber } from '../database/column-types.js';
import { queryPrepared } from '../database/prepared.js';
import { quotedTable } from '../database/rows.js';

/**
 * A record's JSON representation when it is the entity's own fields under the same names:
 * timestamps as ISO-8601 strings (UTC, milliseconds), `date` columns as `YYYY-MM-DD`, money as
 * numbers, JSON columns as they are. One definition renders a record in Node (`toResponse`: the
 * answer of a create or update, which has the entity at hand) and in PostgreSQL (`sqlObject`:
 * pages, see `paginateRendered`, and `findRendered` for GET by id): the database writes each
 * row's JSON text, so reads never turn rows into entities, dates into `Date`s and back, nor
 * stringify them again.
 *
 * `fields` lists every property of the response class, each an entity property (checked at
 * compile time), and is checked against the entity's columns when the SQL is first built: a
 * field without a column, or a column type this renderer does not know to write exactly as
 * `toResponse` would, throws.
 */
export class RecordView<E extends ObjectLiteral, R> {
  readonly fields: readonly string[];
  private readonly sql = new Map<string, string>();
  private readonly byId = new Map<string, string>();

  constructor(
    readonly entity: EntityTarget<E>,
    fields: { [K in keyof R]-?: K extends keyof E ? true : never },
  ) {
    this.fields = Object.keys(fields);
  }

  /** The response object of one record. */
  toResponse(record: E): R {
    const out: Record<string, unknown> = {};
    for (const field of this.fields) {
      const value: unknown = (record as Record<string, unknown>)[field];
      out[field] = value instanceof Date ? value.toISOString() : value;
    }
    return out as R;
  }

  /** A SQL expression giving the JSON text of the row under `alias` (built once per alias). */
  sqlObject(dataSource: DataSource, alias: string): string {
    let sql = this.sql.get(alias);
    if (!sql) {
      const metadata = dataSource.getMetadata(this.entity);
      // row_to_json of a one-row subselect: compact JSON text with the keys in this order.
      const columns = this.fields.map((field) => `${jsonValue(columnOf(metadata, field), `"${alias}"`)} AS "${field}"`);
      sql = `(SELECT row_to_json(r) FROM (SELECT ${columns.join(', ')}) r)::text`;
      this.sql.set(alias, sql);
    }
    return sql;
  }

  /**
   * The record with this id rendered by PostgreSQL, with the values of `properties` the caller
   * needs to decide about it (data-scope columns, say) and its `version` (for the ETag); or
   * null. One prepared statement per set of properties.
   */
  async findRendered<K extends keyof E & string>(em: EntityManager, id: string, properties: readonly K[]): Promise<RenderedRecord<E, K> | null> {
    const key = properties.join(',');
    let sql = this.byId.get(key);
    if (!sql) {
      const metadata = em.connection.getMetadata(this.entity);
      const columns = [...new Set<string>([...properties, 'version'])].map((p) => `"r"."${columnOf(metadata, p).databaseName}" AS "${p}"`);
      sql = `SELECT ${this.sqlObject(em.connection, 'r')} AS "json", ${columns.join(', ')} FROM ${quotedTable(metadata)} "r" WHERE "r"."id" = $1`;
      this.byId.set(key, sql);
    }
    const [row] = await queryPrepared<{ json: string; version: number } & Pick<E, K>>(em, sql, [id]);
    return row ? { values: row, body: new RenderedJson(row.json, row.version) } : null;
  }
}

/** A record rendered by PostgreSQL, and the values read with it. */
export interface RenderedRecord<E, K extends keyof E> {
  values: Pick<E, K>;
  body: RenderedJson;
}

function columnOf(metadata: EntityMetadata, field: string): ColumnMetadata {
  const column = metadata.findColumnWithPropertyName(field);
  if (!column || column.isVirtual) throw new Error(`RecordView of ${metadata.name}: ${field} is not a column`);
  return column;
}

/** The column as the JSON value `toResponse` gives for what TypeORM hydrates from it. */
function jsonValue(column: ColumnMetadata, alias: string): string {
  const ref = `${alias}."${column.databaseName}"`;
  const type = typeof column.type === 'string' ? column.type : column.type === Date ? 'timestamptz' : column.type === Number ? 'integer' : column.type === String ? 'text' : '';
  const transformer = column.transformer;
  if (type === 'bigint' && transformer === bigintToNumber) return ref;
  if (transformer) throw new Error(`RecordView: column ${column.propertyName} has a transformer the view cannot render`);
  if (type === 'timestamptz' || type === 'timestamp with time zone') return `to_char(${ref} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  if (RENDERED_AS_IS.has(type)) return ref;
  throw new Error(`RecordView: column ${column.propertyName} of type ${type || String(column.type)} is not supported`);
}

/** Column types whose JSON value in PostgreSQL equals the JSON of what `pg` hydrates. */
const RENDERED_AS_IS = new Set(['uuid', 'text', 'varchar', 'character varying', 'char', 'character', 'citext', 'integer', 'int', 'int4', 'smallint', 'boolean', 'bool', 'jsonb', 'json', 'date']);

/**
 * A response body that is already JSON text (e.g. a page PostgreSQL rendered): the HTTP adapter
 * sends it as `application/json` as it is, instead of serializing an object.
 */
export class RenderedJson {
  /** `version`: the record's version when the text is one record (the response gets its ETag). */
  constructor(
    readonly text: string,
    readonly version?: number,
  ) {}
}
