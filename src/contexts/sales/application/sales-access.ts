import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { isUuid } from '../../../platform/database/ids.js';
import { findById } from '../../../platform/database/rows.js';
import { Tx } from '../../../platform/database/transaction.js';
import { NotFoundError } from '../../../platform/errors/domain-error.js';
import type { Actor } from '../../../platform/identity/domain/actor.js';
import { DataScopeService, type ScopeColumns } from '../../../platform/identity/application/data-scope.js';
import { OrgDirectory } from '../../../platform/identity/application/org-directory.js';
import { RecordScopeRegistry, type RecordScopeTable } from '../../../platform/identity/application/record-scope.registry.js';
import { References, unknownReference } from '../../../platform/identity/application/references.js';
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

/** The answer to an owner that does not exist, is inactive or is outside the caller's scope. */
export const OWNER_UNKNOWN = 'sales.owner.unknown-user';

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
    private readonly references: References,
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
   * A record a write refers to (`accountId`, `parentAccountId`, `related.id`, …), loaded in the
   * current transaction: it must exist and be visible to the caller — else 422
   * {@link unknownReference} naming `field`, the same answer for a missing and an out-of-scope
   * record (nothing about the record in it). Leads in the pool count as visible (anyone who may
   * claim sees them). One query, plus the scope check's for team/subtree scopes.
   */
  async reference<T extends ObjectLiteral>(
    actor: Caller,
    scope: ScopeName,
    entity: EntityTarget<T>,
    field: string,
    id: string,
    options: { lock?: boolean; code?: string } = {},
  ): Promise<T> {
    const record = isUuid(id) ? await findById(this.tx.tx, entity, id, options) : null;
    const inPool = scope === 'lead' && record?.ownerId === null && record?.status === 'new';
    if (!record || (!inPool && !(await this.canSee(actor, scope, record)))) throw unknownReference(field, SCOPES[scope].resource, id, options.code);
    return record;
  }

  /**
   * Who owns a new or re-owned record: the caller by default; another user only when that user
   * exists, is active, and is inside the caller's scope for the record's resource (no planting
   * records on strangers). A missing, inactive or out-of-scope user gets one answer: 422
   * `sales.owner.unknown-user` naming `field`. Returns the owner's org unit too, which records
   * copy for team reporting.
   */
  async resolveOwner(actor: Caller, scope: ScopeName, ownerId?: string | null, field = 'ownerId'): Promise<{ ownerId: string; orgUnitId: string | null }> {
    const id = ownerId ?? actor?.userId;
    if (!id) throw new Error('A system use case must name the owner');
    if (actor && id === actor.userId) return { ownerId: id, orgUnitId: actor.orgUnitId };
    const user = await this.directory.user(id);
    if (!user || !user.active || (actor && !(await this.scopes.canSee(actor, SCOPES[scope].resource, { ownerId: id })))) {
      throw unknownReference(field, 'identity.user', id, OWNER_UNKNOWN);
    }
    return { ownerId: id, orgUnitId: user.orgUnitId };
  }

  /**
   * Users a write names as taking part (`participantIds`): each must exist, be active and be
   * visible to the caller (`identity.user` scope, {@link References}); else 422
   * `sales.user.unknown` naming `field[i]`, the same for all three. One query for the rows, plus
   * the scope check per id.
   */
  async assertActiveUsers(actor: Caller, ids: readonly string[], field: string, indexOf: (id: string) => number = (id) => ids.indexOf(id)): Promise<void> {
    if (ids.length === 0) return;
    const users = new Map((await this.directory.users([...ids])).map((u) => [u.id, u]));
    for (const id of ids) {
      const user = users.get(id);
      if (!user || !user.active || !(await this.references.seesUser(actor, user))) throw unknownReference(`${field}[${indexOf(id)}]`, 'identity.user', id, 'sales.user.unknown');
    }
  }

  /** A record of another context a write refers to (`campaignId`): must be registered, exist and be visible, else 422 naming `field`. */
  assertForeign(actor: Caller, recordType: string, id: string, field: string, code?: string): Promise<void> {
    return this.references.assertVisible(actor, recordType, id, field, code);
  }

  /** An active user's org unit (system use cases: assignment, events). */
  async activeUser(id: string): Promise<{ ownerId: string; orgUnitId: string | null } | null> {
    const user = await this.directory.user(id);
    return user && user.active ? { ownerId: user.id, orgUnitId: user.orgUnitId } : null;
  }
}
