import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { findById } from '../../../platform/database/rows.js';
import { Tx } from '../../../platform/database/transaction.js';
import { DomainError, NotFoundError } from '../../../platform/errors/domain-error.js';
import type { Actor } from '../../../platform/identity/actor.js';
import { DataScopeService, type ScopeColumns } from '../../../platform/identity/data-scope.js';
import { OrgDirectory } from '../../../platform/identity/org-directory.js';
import { RecordScopeRegistry, type RecordScopeTable } from '../../../platform/identity/record-scope.registry.js';
import type { RecordView, RenderedJson } from '../../../platform/http/record-view.js';

/** Data-scope resources of Sales and the columns that decide visibility. */
export const SCOPES = {
  account: { resource: 'sales.account', columns: { owner: 'ownerId', account: 'id' } },
  contact: { resource: 'sales.contact', columns: { owner: 'ownerId', account: 'accountId' } },
  lead: { resource: 'sales.lead', columns: { owner: 'ownerId' } },
  opportunity: { resource: 'sales.opportunity', columns: { owner: 'ownerId', account: 'accountId' } },
  activity: { resource: 'sales.activity', columns: { owner: 'ownerId', account: 'accountId' } },
} as const satisfies Record<string, { resource: string; columns: ScopeColumns }>;

export type ScopeName = keyof typeof SCOPES;

/** Where each scoped record type keeps its ownership facts, for the platform's reference checks and access explanations. */
const SCOPE_TABLES: Record<ScopeName, RecordScopeTable> = {
  account: { table: 'sales.account', ownerColumn: 'owner_id', accountColumn: 'id' },
  contact: { table: 'sales.contact', ownerColumn: 'owner_id', accountColumn: 'account_id' },
  lead: { table: 'sales.lead', ownerColumn: 'owner_id' },
  opportunity: { table: 'sales.opportunity', ownerColumn: 'owner_id', accountColumn: 'account_id' },
  activity: { table: 'sales.activity', ownerColumn: 'owner_id', accountColumn: 'account_id' },
};

/**
 * Who runs a use case: a signed-in caller, or `null` for the system (event consumers, timers,
 * scheduled jobs), which is not limited by a data scope. Controllers always pass an Actor.
 */
export type Caller = Actor | null;

/**
 * The data-scope checks every Sales use case makes, on top of the identity module's
 * {@link DataScopeService}: load a record the caller may see (else 404), narrow a list, and
 * decide who may own a record.
 */
@Injectable()
export class SalesAccess implements OnModuleInit {
  constructor(
    private readonly tx: Tx,
    private readonly scopes: DataScopeService,
    private readonly directory: OrgDirectory,
    private readonly registry: RecordScopeRegistry,
  ) {}

  /** Registers Sales' record types, so other contexts' references to them (`accountId`, …) and access explanations work. */
  onModuleInit(): void {
    for (const [name, table] of Object.entries(SCOPE_TABLES)) this.registry.register(SCOPES[name as ScopeName].resource, table);
  }

  /** Whether the actor sees a record with these ownership facts. */
  async canSee(actor: Caller, scope: ScopeName, record: ObjectLiteral): Promise<boolean> {
    if (!actor) return true;
    const { resource, columns } = SCOPES[scope];
    const account = 'account' in columns ? (record[columns.account] as string | null) : undefined;
    return this.scopes.canSee(actor, resource, { ownerId: record.ownerId ?? null, accountId: account });
  }

  /**
   * Loads the record by id, in the current transaction, and answers 404 when it does not exist
   * or is outside the caller's scope. `lock` takes a row lock (FOR UPDATE) for read-then-write use cases.
   */
  async load<T extends ObjectLiteral>(
    actor: Caller,
    scope: ScopeName,
    entity: EntityTarget<T>,
    recordType: string,
    id: string,
    options: { lock?: boolean } = {},
  ): Promise<T> {
    const record = await findById(this.tx.tx, entity, id, options);
    if (!record || !(await this.canSee(actor, scope, record))) throw new NotFoundError(recordType, id);
    return record;
  }

  /**
   * {@link load}, with the record rendered by PostgreSQL through `view` (see RecordView): the
   * response body of a GET, without turning the row into an entity and back.
   */
  async loadRendered<T extends ObjectLiteral>(actor: Caller, scope: ScopeName, view: RecordView<T, unknown>, recordType: string, id: string): Promise<RenderedJson> {
    const found = await view.findRendered(this.tx.tx, id, Object.values(SCOPES[scope].columns) as (keyof T & string)[]);
    if (!found || !(await this.canSee(actor, scope, found.values))) throw new NotFoundError(recordType, id);
    return found.body;
  }

  /** Adds the caller's scope to a list query on `scope`'s entity. */
  async narrow<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, actor: Actor, scope: ScopeName): Promise<SelectQueryBuilder<T>> {
    const { resource, columns } = SCOPES[scope];
    return this.scopes.apply(qb, actor, resource, columns);
  }

  /** Owner ids the actor sees for a resource; null = everyone. */
  visibleOwners(actor: Actor, scope: ScopeName): Promise<string[] | null> {
    return this.scopes.visibleOwnerIds(actor, SCOPES[scope].resource);
  }

  /**
   * Who owns a new or re-owned record: the caller by default; another user only when that user
   * exists, is active, and is inside the caller's scope (no planting records on strangers).
   * Returns the owner's org unit too, which records copy for team reporting.
   */
  async resolveOwner(actor: Caller, scope: ScopeName, ownerId?: string | null): Promise<{ ownerId: string; orgUnitId: string | null }> {
    const id = ownerId ?? actor?.userId;
    if (!id) throw new Error('A system use case must name the owner');
    if (actor && id === actor.userId) return { ownerId: id, orgUnitId: actor.orgUnitId };
    const user = await this.directory.user(id);
    if (!user || !user.active) {
      throw new DomainError('rule-violated', 'sales.owner.unknown-user', `User ${id} does not exist or is inactive`, { ownerId: id });
    }
    const visible = actor ? await this.visibleOwners(actor, scope) : null;
    if (visible && !visible.includes(id)) {
      throw new DomainError('rule-violated', 'sales.owner.out-of-scope', `You cannot give records to user ${id}: outside your data scope`, { ownerId: id });
    }
    return { ownerId: id, orgUnitId: user.orgUnitId };
  }

  /** An active user's org unit (system use cases: assignment, events). */
  async activeUser(id: string): Promise<{ ownerId: string; orgUnitId: string | null } | null> {
    const user = await this.directory.user(id);
    return user && user.active ? { ownerId: user.id, orgUnitId: user.orgUnitId } : null;
  }
}
