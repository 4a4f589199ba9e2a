import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { isUuid } from '../../database/ids.js';
import { queryPrepared } from '../../database/prepared.js';
import { Tx } from '../../database/transaction.js';
import type { Actor, DataScope, UserKind } from '../domain/actor.js';
import { IMPLICIT_USER_PERMISSIONS, intersectPermissions, mergeGrants, type Grant } from '../domain/permissions.rules.js';


interface UserRow {
  id: string;
  kind: UserKind;
  org_unit_id: string | null;
  account_id: string | null;
  active: boolean;
  session_version: number;
  roles: string[];
}

interface UserStampRow extends UserRow {
  grants_stamp: string | null;
}

interface ApiKeyRow extends UserStampRow {
  key_id: string;
  key_permissions: string[];
  last_used_at: Date | null;
}

/**
 * The identity of the current versions of a user's role rows: `id.xmin` of each. Any UPDATE of
 * a role row (API, migration or hand-written SQL) gives it a new xmin, and a deleted and
 * re-created role has a new id, so the same stamp means the same grants — on every replica.
 */
const STAMP = (roles: string) =>
  `(SELECT string_agg(r.id::text || '.' || r.xmin::text, ',' ORDER BY r.id) FROM platform.role r WHERE r.key = ANY(${roles}))`;

/**
 * Users' rows with the stamps of their roles' grants: the per-request check of the callers of
 * the requests that arrived together, a prepared statement (it runs for every request).
 */
const USER_ROWS = `SELECT u.id, u.kind, u.org_unit_id, u.account_id, u.active, u.session_version, u.roles, ${STAMP('u.roles')} AS grants_stamp
                     FROM platform.app_user u WHERE u.id = ANY($1::uuid[])`;

interface MergedGrants {
  permissions: ReadonlySet<string>;
  dataScopes: Readonly<Record<string, DataScope>>;
}

/** Bound on the merged-grants cache (distinct role combinations × role versions). */
const GRANTS_CACHE_SIZE = 1_000;

/** How often an API key's `last_used_at` is written (at most once a minute per key). */
const LAST_USED_RESOLUTION_MS = 60_000;

type LoadedUser = Actor & { active: boolean; sessionVersion: number; roles: string[] };

/**
 * Builds {@link Actor}s from the database, so that a deactivation, a role change or a revoked
 * key takes effect on the next call. The merged grants of a set of roles are cached by the stamp
 * of the role rows' versions, which the same single query returns (see {@link STAMP}): a changed
 * role is reloaded on its next use, on every replica.
 */
@Injectable()
export class ActorLoader {
  private readonly grants = new Map<string, MergedGrants>();
  /** API keys' effective permissions by creator grants stamp and key permissions (see {@link keyPermissions}). */
  private readonly keyGrants = new Map<string, ReadonlySet<string>>();

  /**
   * The callers' rows for the requests of one turn of the event loop, read in one statement
   * sent after all of them arrived, on a pooled connection (never inside one request's
   * transaction, whose fate would then be everyone's). Nothing is kept: the next turn reads again.
   */
  private readonly requestRows = new DataLoader<string, UserStampRow | null>(
    async (ids) => {
      const rows = await queryPrepared<UserStampRow>(this.dataSource.manager, USER_ROWS, [[...new Set(ids)]]);
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    },
    { cache: false, batchScheduleFn: (run) => setImmediate(run), maxBatchSize: 500 },
  );

  constructor(
    private readonly tx: Tx,
    private readonly dataSource: DataSource,
  ) {}

  /** The actor of a user (active or not: callers decide), or null if there is no such user. Always read fresh. */
  async user(userId: string): Promise<LoadedUser | null> {
    if (!isUuid(userId)) return null;
    const row = await this.userRow(userId);
    return row && this.toActor(row);
  }

  /**
   * {@link user} for authenticating a request. Read fresh for every request: a deactivation or
   * role change, even one made behind the API in SQL, applies to the very next request on every
   * replica. The requests that arrive in the same turn of the event loop share ONE statement,
   * sent after all of them arrived (so each still reads the state after its arrival): under
   * load, one round trip for many requests instead of one each. (A cache dropped by
   * LISTEN/NOTIFY was tried and taken out: a notification arrives a moment after its commit,
   * and the next request could still pass — test/identity/directory failed 1 run in 4.)
   */
  async forRequest(userId: string): Promise<LoadedUser | null> {
    if (!isUuid(userId)) return null;
    const row = await this.requestRows.load(userId);
    return row && this.toActor(row);
  }

  private async userRow(userId: string): Promise<UserStampRow | null> {
    const [row] = await queryPrepared<UserStampRow>(this.tx.tx, USER_ROWS, [[userId]]);
    return row ?? null;
  }

  private async toActor(row: UserStampRow): Promise<LoadedUser> {
    const merged = await this.grantsOf(row);
    return {
      type: 'user',
      id: row.id,
      userId: row.id,
      kind: row.kind,
      orgUnitId: row.org_unit_id,
      accountId: row.account_id,
      permissions: new Set(merged.permissions),
      dataScopes: { ...merged.dataScopes },
      active: row.active,
      sessionVersion: row.session_version,
      roles: row.roles,
    };
  }

  /** The merged grants of a user's roles: cached under the stamp read with the user's row, else loaded. */
  private async grantsOf(row: UserStampRow): Promise<MergedGrants> {
    return this.grants.get(row.grants_stamp ?? '') ?? this.loadGrants(row.roles);
  }

  /** Merges and caches the grants of these roles under the stamp read in the same statement. */
  private async loadGrants(roles: string[]): Promise<MergedGrants> {
    const [row]: { stamp: string | null; grants: Grant[] | null }[] = await this.tx.tx.query(
      `SELECT ${STAMP('$1::text[]')} AS stamp,
              (SELECT json_agg(json_build_object('permissions', r.permissions, 'dataScopes', r.data_scopes))
                 FROM platform.role r WHERE r.key = ANY($1::text[])) AS grants`,
      [roles],
    );
    const merged = mergeGrants(row.grants ?? []);
    for (const p of IMPLICIT_USER_PERMISSIONS) merged.permissions.add(p);
    if (this.grants.size >= GRANTS_CACHE_SIZE) this.grants.clear();
    this.grants.set(row.stamp ?? '', merged);
    return merged;
  }

  /**
   * The actor of an API key (by the SHA-256 of the key): the INTERSECTION of the key's own
   * permissions and its creator's current ones (so a demoted creator's key loses what the
   * creator lost, on the next call), and the creator's data scopes and org position. The
   * creator's merged grants come from the same stamp-keyed cache as a user's (one statement
   * per call; the roles are read only when they changed). Revoked keys, and keys whose
   * creator was deactivated, give null.
   */
  async apiKey(keyHash: string): Promise<Actor | null> {
    const [row]: ApiKeyRow[] = await this.tx.tx.query(
      `SELECT k.id AS key_id, k.permissions AS key_permissions, k.last_used_at,
              u.id, u.kind, u.org_unit_id, u.account_id, u.active, u.session_version, u.roles, ${STAMP('u.roles')} AS grants_stamp
         FROM platform.api_key k JOIN platform.app_user u ON u.id = k.created_by
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [keyHash],
    );
    if (!row || !row.active) return null;
    if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > LAST_USED_RESOLUTION_MS) {
      await this.tx.tx.query(`UPDATE platform.api_key SET last_used_at = now() WHERE id = $1`, [row.key_id]);
    }
    const creator = await this.grantsOf(row);
    return {
      type: 'api-key',
      id: row.key_id,
      userId: row.id,
      kind: row.kind,
      orgUnitId: row.org_unit_id,
      accountId: row.account_id,
      permissions: this.keyPermissions(row.key_permissions, row.grants_stamp, creator),
      dataScopes: { ...creator.dataScopes },
    };
  }

  /** Key permissions ∩ creator permissions, remembered per (key permissions, creator grants stamp). */
  private keyPermissions(keyPermissions: string[], stamp: string | null, creator: MergedGrants): ReadonlySet<string> {
    const cacheKey = `${stamp ?? ''}|${keyPermissions.join(' ')}`;
    let permissions = this.keyGrants.get(cacheKey);
    if (!permissions) {
      permissions = intersectPermissions(keyPermissions, creator.permissions);
      if (this.keyGrants.size >= GRANTS_CACHE_SIZE) this.keyGrants.clear();
      this.keyGrants.set(cacheKey, permissions);
    }
    return new Set(permissions);
  }
}
