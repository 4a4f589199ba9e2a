import { Injectable } from '@nestjs/common';
import { isUuid } from '../../database/ids.js';
import { Tx } from '../../database/transaction.js';
import type { Actor } from '../domain/actor.js';
import type { ScopedRecord } from './data-scope.js';

/** Where a record type keeps its ownership facts: a table with an id, owner and (optional) account column. */
export interface RecordScopeTable {
  /** `schema.table`, e.g. `sales.account`. */
  table: string;
  /** Column names (snake_case). */
  idColumn?: string;
  ownerColumn: string;
  accountColumn?: string;
  /** The id column's type: `uuid` (default; a malformed id is simply not found) or `text`. */
  idType?: 'uuid' | 'text';
}

export type RecordScopeLoader = (id: string) => Promise<ScopedRecord | null>;

/** Whether an actor may see (and so refer to) a record, for a record type whose visibility is not "by owner". */
export type RecordVisibility = (actor: Actor, id: string) => Promise<boolean>;

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Lets the access explanation (`GET /api/v1/identity/access/explain`) find the owner and
 * account of any record type without the platform knowing the contexts: each context registers
 * its record types at start, e.g. in `onModuleInit`:
 * `registry.register('sales.account', { table: 'sales.account', ownerColumn: 'owner_id', accountColumn: 'id' })`.
 */
@Injectable()
export class RecordScopeRegistry {
  private readonly loaders = new Map<string, RecordScopeLoader>();
  private readonly visibilities = new Map<string, RecordVisibility>();

  constructor(private readonly tx: Tx) {}

  /**
   * `visible` replaces the owner/account rule for record types that are not owned by a user
   * (org units: seen by their place in the tree).
   */
  register(recordType: string, source: RecordScopeTable | RecordScopeLoader, options: { visible?: RecordVisibility } = {}): void {
    this.loaders.set(recordType, typeof source === 'function' ? source : this.tableLoader(source));
    if (options.visible) this.visibilities.set(recordType, options.visible);
  }

  /** The record type's own visibility rule, if it has one (else: by owner and account). */
  visibility(recordType: string): RecordVisibility | undefined {
    return this.visibilities.get(recordType);
  }

  has(recordType: string): boolean {
    return this.loaders.has(recordType);
  }

  types(): string[] {
    return [...this.loaders.keys()].sort();
  }

  async load(recordType: string, id: string): Promise<ScopedRecord | null | undefined> {
    const loader = this.loaders.get(recordType);
    return loader ? loader(id) : undefined;
  }

  private tableLoader(source: RecordScopeTable): RecordScopeLoader {
    const [schema, table, extra] = source.table.split('.');
    const columns = [source.idColumn ?? 'id', source.ownerColumn, source.accountColumn ?? source.ownerColumn];
    if (extra !== undefined || !table || ![schema, table, ...columns].every((name) => IDENTIFIER.test(name))) {
      throw new Error(`RecordScopeRegistry: bad table or column name in ${JSON.stringify(source)}`);
    }
    const account = source.accountColumn ? `${source.accountColumn}::text` : 'NULL';
    const uuid = (source.idType ?? 'uuid') === 'uuid';
    const sql = `SELECT ${source.ownerColumn}::text AS owner_id, ${account} AS account_id FROM ${schema}.${table} WHERE ${columns[0]} = $1${uuid ? '::uuid' : ''}`;
    return async (id) => {
      if (uuid && !isUuid(id)) return null;
      const [row]: { owner_id: string | null; account_id: string | null }[] = await this.tx.tx.query(sql, [id]);
      return row ? { ownerId: row.owner_id, accountId: row.account_id } : null;
    };
  }
}
