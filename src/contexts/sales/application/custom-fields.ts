import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { CustomFields } from '../domain/account.entity.js';

/** Narrows a list to records whose `customFields` contain all of `fields` (GIN-indexed `@>`). */
export function filterByCustomFields<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, fields: CustomFields | undefined): void {
  if (fields && Object.keys(fields).length > 0) {
    qb.andWhere(`${qb.alias}.customFields @> CAST(:customFields AS jsonb)`, { customFields: JSON.stringify(fields) });
  }
}
