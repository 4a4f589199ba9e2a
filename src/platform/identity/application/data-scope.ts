import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Actor } from '../domain/actor.js';

/**
 * Which columns of a record tell who may see it. Property names of the entity (camelCase).
 * - `owner`: the owning user (own/team/subtree scopes).
 * - `account`: the customer/partner account the record belongs to (partner/customer users).
 */
export interface ScopeColumns {
  owner: string;
  account?: string;
}

/** The ownership facts of one record, for single-record checks. */
export interface ScopedRecord {
  ownerId: string | null;
  accountId?: string | null;
}

/**
 * Turns the caller's data scope for a resource (e.g. `sales.account`) into a query condition
 * for lists, and a check for single records (a record out of scope must answer 404 — callers
 * throw NotFoundError when `canSee` is false). Scopes:
 * own = owner is me; team = owner in my org unit; subtree = owner in my unit or below; all.
 * Partner and customer users see only records whose `account` column is their account.
 *
 * Inject `DataScopeService` (the identity module binds the implementation).
 */
export abstract class DataScopeService {
  /** Adds the scope condition to a list query (`qb.alias` is the record's alias). */
  abstract apply<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, actor: Actor, resource: string, columns: ScopeColumns): Promise<SelectQueryBuilder<T>>;
  /** Whether the actor may see this record. */
  abstract canSee(actor: Actor, resource: string, record: ScopedRecord): Promise<boolean>;
  /** The user ids whose records the actor sees for the resource; null means everyone (scope `all`). */
  abstract visibleOwnerIds(actor: Actor, resource: string): Promise<string[] | null>;
}
