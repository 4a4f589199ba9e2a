import { hasPermission, scopeFor, type DataScope } from './actor.js';

export const DATA_SCOPES: readonly DataScope[] = ['own', 'team', 'subtree', 'all'];
const RANK: Record<DataScope, number> = { own: 0, team: 1, subtree: 2, all: 3 };

/** `<context>.<resource>:<action>`, each segment may be `*`; `*:*` is everything. */
export const PERMISSION_PATTERN = /^(\*|[a-z][a-z0-9-]*\.(\*|[a-z][a-z0-9-]*)):(\*|[a-z][a-z0-9-]*)$/;
/** A data-scope key: `*`, `<context>.*` or `<context>.<resource>`. */
export const SCOPE_KEY_PATTERN = /^(\*|[a-z][a-z0-9-]*\.(\*|[a-z][a-z0-9-]*))$/;

/**
 * Permissions every signed-in user holds whatever their roles: reading their own profile, and
 * changing their own password (`POST /api/v1/auth/password`, which asks for the current one).
 */
export const IMPLICIT_USER_PERMISSIONS = ['identity.self:read', 'identity.self:update'];

export interface Grant {
  permissions: readonly string[];
  dataScopes: Readonly<Record<string, DataScope>>;
}

export const widerScope = (a: DataScope, b: DataScope): DataScope => (RANK[a] >= RANK[b] ? a : b);

/** The scope one role's map gives a key (exact, then `<ctx>.*`, then `*`), or undefined. */
function roleScope(scopes: Readonly<Record<string, DataScope>>, key: string): DataScope | undefined {
  if (scopes[key]) return scopes[key];
  if (key === '*') return undefined;
  const context = key.split('.')[0];
  return (key.endsWith('.*') ? undefined : scopes[`${context}.*`]) ?? scopes['*'];
}

/**
 * Effective permissions and scopes of several roles: the union of permissions, and per scope
 * key the widest scope any role gives it — evaluated so that `scopeFor` on the merged map
 * answers what the widest role answers (a role's `sales.*: all` beats another's `sales.account: team`).
 */
export function mergeGrants(grants: readonly Grant[]): { permissions: Set<string>; dataScopes: Record<string, DataScope> } {
  const permissions = new Set<string>();
  const keys = new Set<string>();
  for (const grant of grants) {
    for (const p of grant.permissions) permissions.add(p);
    for (const k of Object.keys(grant.dataScopes)) keys.add(k);
  }
  const dataScopes: Record<string, DataScope> = {};
  for (const key of keys) {
    let best: DataScope | undefined;
    for (const grant of grants) {
      const scope = roleScope(grant.dataScopes, key);
      if (scope) best = best ? widerScope(best, scope) : scope;
    }
    if (best) dataScopes[key] = best;
  }
  return { permissions, dataScopes };
}

/** `<context>.<resource>:<action>` as its three segments; `*:<action>` has `*` for context and resource. */
function segments(permission: string): [string, string, string] {
  const [resource, action] = permission.split(':');
  const [context, name] = resource === '*' ? ['*', '*'] : resource.split('.');
  return [context, name, action];
}

/**
 * The permissions that both patterns grant, as one pattern (segment-wise: `*` meets anything
 * as that thing, equal segments meet as themselves), or null when they share nothing:
 * `sales.*:read` ∩ `sales.account:*` = `sales.account:read`; `*:*` ∩ p = p.
 */
export function meetPermission(a: string, b: string): string | null {
  const x = segments(a);
  const y = segments(b);
  const meet: string[] = [];
  for (let i = 0; i < 3; i++) {
    if (x[i] === '*') meet.push(y[i]);
    else if (y[i] === '*' || y[i] === x[i]) meet.push(x[i]);
    else return null;
  }
  const [context, resource, action] = meet;
  return `${context === '*' ? '*' : `${context}.${resource}`}:${action}`;
}

/**
 * What a holder of `first` and `second` may both do: the meets of every pair, a pattern held
 * by `second` as a whole kept as it is. An API key acts with the intersection of its own
 * permissions and its creator's current ones, so a demoted creator's key loses the same.
 */
export function intersectPermissions(first: Iterable<string>, second: ReadonlySet<string>): Set<string> {
  const result = new Set<string>();
  for (const p of first) {
    if (hasPermission({ permissions: second }, p)) {
      result.add(p);
      continue;
    }
    for (const q of second) {
      const meet = meetPermission(p, q);
      if (meet) result.add(meet);
    }
  }
  return result;
}

/**
 * What `grant` gives beyond what `holder` holds, for messages (empty: the holder covers it).
 * Permissions: each must be covered by one of the holder's (`sales.*:*` covers
 * `sales.account:read`; a grant of `sales.*:*` is covered only by `sales.*:*` or `*:*`).
 * Data scopes: for every resource the grant's scope (exact key, then `<ctx>.*`, then `*`) must
 * not be wider than the holder's — checked for every key either side names, each of their
 * contexts' `<ctx>.*` and `*`, which between them decide the scope of every resource.
 */
export function exceeds(
  holder: { permissions: ReadonlySet<string>; dataScopes: Readonly<Record<string, DataScope>> },
  grant: { permissions: Iterable<string>; dataScopes: Readonly<Record<string, DataScope>> },
): string[] {
  const beyond: string[] = [];
  for (const p of grant.permissions) if (!hasPermission(holder, p)) beyond.push(p);
  const keys = new Set<string>(['*']);
  for (const key of [...Object.keys(holder.dataScopes), ...Object.keys(grant.dataScopes)]) {
    keys.add(key);
    if (key !== '*') keys.add(`${key.split('.')[0]}.*`);
  }
  for (const key of [...keys].sort()) {
    const granted = scopeFor(grant, key);
    const held = scopeFor(holder, key);
    if (RANK[granted] > RANK[held]) beyond.push(`data scope ${key}: ${granted} (yours: ${held})`);
  }
  return beyond;
}

export const ORG_UNIT_TYPES = ['group', 'region', 'branch', 'department', 'team'] as const;
export type OrgUnitType = (typeof ORG_UNIT_TYPES)[number];

/** A unit sits strictly below its parent's level (group → region → branch → department → team; levels may be skipped). */
export function canNest(parent: OrgUnitType, child: OrgUnitType): boolean {
  return ORG_UNIT_TYPES.indexOf(child) > ORG_UNIT_TYPES.indexOf(parent);
}
