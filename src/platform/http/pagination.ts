import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsISO8601, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { DomainError } from '../errors/domain-error.js';
import { hydrateRaw } from '../database/rows.js';
import { RenderedJson, type RecordView } from './record-view.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** Query parameters every list endpoint accepts. Extend it with the list's typed filters. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, description: 'Page size; larger values are clamped to 500' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Transform(({ value }) => (typeof value === 'number' && value > MAX_PAGE_SIZE ? MAX_PAGE_SIZE : value), { toClassOnly: true })
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page’s `nextCursor`' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;

  @ApiPropertyOptional({ description: 'Sort field, `-` prefix for descending (e.g. `-createdAt`)', example: '-createdAt' })
  @IsOptional()
  @IsString()
  @Matches(/^-?[a-zA-Z]+$/)
  sort?: string;

  @ApiPropertyOptional({ description: 'Only records changed at or after this instant (delta sync)', example: '2026-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  updatedSince?: string;
}

/** `{ items, nextCursor }`: the shape of every list response. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PaginateOptions {
  /** Public sort field → entity property (non-null columns only; id breaks ties). */
  sortable: Record<string, string>;
  /** e.g. `-createdAt` */
  defaultSort: string;
}

interface CursorPayload {
  s: string; // sort spec the cursor was made for
  v: string | number; // last row's sort value
  id: string; // last row's id
}

const encode = (c: CursorPayload) => Buffer.from(JSON.stringify(c)).toString('base64url');

function decode(cursor: string): CursorPayload {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorPayload;
    if (typeof c.s !== 'string' || typeof c.id !== 'string' || (typeof c.v !== 'string' && typeof c.v !== 'number')) throw new Error();
    return c;
  } catch {
    throw invalidParam('cursor', 'cursor is not a cursor this API issued');
  }
}

function invalidParam(field: string, message: string) {
  return new DomainError('invalid', 'validation-failed', message, {}, [{ field, message }]);
}

/**
 * Keyset pagination on a query builder: orders by the requested field then id, continues after
 * the cursor's row with a row-value comparison (served by an index on `(field, id)`), fetches
 * one row more than the page to know whether another page exists.
 */
export async function paginate<T extends ObjectLiteral & { id: string }>(
  qb: SelectQueryBuilder<T>,
  query: PageQuery,
  options: PaginateOptions,
): Promise<Page<T>> {
  const keyset = orderForPage(qb, query, options);
  const rows = hydrateRaw(qb, await qb.getRawMany<Record<string, unknown>>());
  const items = rows.slice(0, keyset.limit);
  const last = items[items.length - 1] as Record<string, unknown> | undefined;
  return { items, nextCursor: rows.length > keyset.limit && last ? keyset.cursorAfter(last[keyset.property], last.id as string) : null };
}

/**
 * {@link paginate}, with the page rendered as JSON text by PostgreSQL through the record's
 * view: `{ items, nextCursor }` exactly as `mapPage(page, view.toResponse)` would serialize,
 * without turning rows into entities and back (see {@link RecordView}).
 */
export async function paginateRendered<T extends ObjectLiteral & { id: string }>(
  qb: SelectQueryBuilder<T>,
  query: PageQuery,
  options: PaginateOptions,
  view: RecordView<T, unknown>,
): Promise<RenderedJson> {
  const keyset = orderForPage(qb, query, options);
  qb.select(view.sqlObject(qb.connection, qb.alias), 'json').addSelect(`${qb.alias}.id`, 'id').addSelect(keyset.column, 'sort_value');
  const rows = await qb.getRawMany<{ json: string; id: string; sort_value: unknown }>();
  const items = rows.length > keyset.limit ? rows.slice(0, keyset.limit) : rows;
  const last = items[items.length - 1];
  const nextCursor = rows.length > keyset.limit && last ? keyset.cursorAfter(last.sort_value, last.id) : null;
  return new RenderedJson(`{"items":[${items.map((r) => r.json).join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`);
}

interface Keyset {
  limit: number;
  /** The sort property and its `alias.property` column. */
  property: string;
  column: string;
  /** The cursor that continues after a row with this sort value and id. */
  cursorAfter(value: unknown, id: string): string;
}

/** Applies sort, cursor, `updatedSince` and the limit (one row more than the page) to the query. */
function orderForPage(qb: SelectQueryBuilder<ObjectLiteral>, query: PageQuery, options: PaginateOptions): Keyset {
  const alias = qb.alias;
  const sortSpec = query.sort ?? options.defaultSort;
  const descending = sortSpec.startsWith('-');
  const field = descending ? sortSpec.slice(1) : sortSpec;
  const property = options.sortable[field];
  if (!property) {
    throw invalidParam('sort', `sort must be one of ${Object.keys(options.sortable).flatMap((k) => [k, `-${k}`]).join(', ')}`);
  }
  const limit = Math.min(query.limit ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const column = `${alias}.${property}`;
  const direction = descending ? 'DESC' : 'ASC';

  if (query.updatedSince) qb.andWhere(`${alias}.updatedAt >= :updatedSince`, { updatedSince: new Date(query.updatedSince) });
  if (query.cursor) {
    const cursor = decode(query.cursor);
    if (cursor.s !== sortSpec) throw invalidParam('cursor', 'cursor was issued for another sort order');
    const value = isDateProperty(qb, property) ? new Date(cursor.v) : cursor.v;
    qb.andWhere(`(${column}, ${alias}.id) ${descending ? '<' : '>'} (:cursorValue, :cursorId)`, {
      cursorValue: value,
      cursorId: cursor.id,
    });
  }
  qb.orderBy(column, direction).addOrderBy(`${alias}.id`, direction).take(undefined).limit(limit + 1);
  return {
    limit,
    property,
    column,
    cursorAfter: (value, id) => encode({ s: sortSpec, v: value instanceof Date ? value.toISOString() : (value as string | number), id }),
  };
}

function isDateProperty(qb: SelectQueryBuilder<ObjectLiteral>, property: string): boolean {
  const column = qb.expressionMap.mainAlias?.metadata.findColumnWithPropertyName(property);
  return !!column && (column.type === 'timestamptz' || column.type === 'timestamp' || column.type === Date || column.type === 'date');
}

/** Maps a page of entities to response objects. */
export function mapPage<T, R>(page: Page<T>, map: (item: T) => R): Page<R> {
  return { items: page.items.map(map), nextCursor: page.nextCursor };
}

/** Documents `{ items, nextCursor }` for a response class in OpenAPI (see `ApiPage`). */
export class PageMetaDto {
  @ApiProperty({ nullable: true, type: String, example: null, description: 'Pass as `cursor` to get the next page; null on the last page' })
  nextCursor: string | null;
}
