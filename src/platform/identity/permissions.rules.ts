import type { DataScope } from './actor.js';

export const DATA_SCOPES: readonly DataScope[] = ['own', 'team', 'subtree', 'all'];
const RANK: Record<DataScope, number> = { own: 0, team: 1, subtree: 2, all: 3 };

/** `<context>.<resource>:<action>`, each segment may be `*`; `*:*` is everything. */
export const PERMISSION_PATTERN = /^(\*|[a-z][a-z0-9-]*\.(\*|[a-z][a-z0-9-]*)):(\*|[a-z][a-z0-9-]*)$/;
/** A data-scope key: `*`, `<context>.*` or `<context>.<resource>`. */
export const SCOPE_KEY_PATTERN = /^(\*|[a-z][a-z0-9-]*\.(\*|[a-z][a-z0-9-]*))$/;

/** Permissions every signed-in user holds whatever their roles: reading their own profile. */
export const IMPLICIT_USER_PERMISSIONS = ['identity.self:read'];

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

export const ORG_UNIT_TYPES = ['group', 'region', 'branch', 'department', 'team'] as const;
export type OrgUnitType = (typeof ORG_UNIT_TYPES)[number];

/** A unit sits strictly below its parent's level (group → region → branch → department → team; levels may be skipped). */
export function canNest(parent: OrgUnitType, child: OrgUnitType): boolean {
  return ORG_UNIT_TYPES.indexOf(child) > ORG_UNIT_TYPES.indexOf(parent);
}
