import { DomainError, type FieldError } from '../../errors/domain-error.js';
import type { Actor, DataScope } from './actor.js';
import { exceeds } from './permissions.rules.js';

/** A role's grants, as stored. */
export interface RoleGrant {
  key: string;
  permissions: readonly string[];
  dataScopes: Readonly<Record<string, DataScope>>;
}

type Holder = Pick<Actor, 'permissions' | 'dataScopes'>;

/**
 * The privilege ceiling of every grant (the rule API keys follow, `identity.api-key.permission-not-held`):
 * nobody gives a role, or puts into a role, a permission or a data scope they do not hold
 * themselves. 422 `identity.role.not-held`, naming what is not held.
 */
export function assertRolesHeld(actor: Holder, roles: readonly RoleGrant[], field = 'roles'): void {
  const beyond = roles.map((role) => ({ key: role.key, items: exceeds(actor, role) })).filter((r) => r.items.length);
  if (!beyond.length) return;
  const what = beyond.map((r) => `role ${r.key}: ${r.items.join(', ')}`).join('; ');
  throw new DomainError('rule-violated', 'identity.role.not-held', `You cannot grant what you do not hold yourself — ${what}`, {}, [
    { field, message: `not held by you: ${what}` },
  ]);
}

/** {@link assertRolesHeld} for the content of a role being created or changed: errors on `permissions` and `dataScopes`. */
export function assertGrantHeld(actor: Holder, grant: Omit<RoleGrant, 'key'>): void {
  const permissions = exceeds(actor, { permissions: grant.permissions, dataScopes: {} });
  const scopes = exceeds(actor, { permissions: [], dataScopes: grant.dataScopes });
  if (!permissions.length && !scopes.length) return;
  const errors: FieldError[] = [];
  if (permissions.length) errors.push({ field: 'permissions', message: `not held by you: ${permissions.join(', ')}` });
  if (scopes.length) errors.push({ field: 'dataScopes', message: `wider than yours: ${scopes.join(', ')}` });
  throw new DomainError(
    'rule-violated',
    'identity.role.not-held',
    `A role cannot hold what you do not hold yourself: ${[...permissions, ...scopes].join(', ')}`,
    {},
    errors,
  );
}

/**
 * Refuses to change the roles, credentials or status of a user who holds a permission or data
 * scope the caller lacks (no demoting the admin, no taking over a stronger account): 422
 * `identity.user.outranks-you`. What the target holds is not named.
 */
export function assertNotOutranked(actor: Holder, target: Holder & { id: string }, field: string): void {
  if (!exceeds(actor, { permissions: target.permissions, dataScopes: target.dataScopes }).length) return;
  throw new DomainError(
    'rule-violated',
    'identity.user.outranks-you',
    `User ${target.id} holds permissions or data scopes you do not hold; only someone holding at least as much may change their roles, credentials or status`,
    {},
    [{ field, message: 'this user holds permissions or data scopes you do not hold' }],
  );
}

/** Whether the holder holds everything (`*:*` with scope `all`): their place in the org tree widens nothing. */
export function holdsEverything(actor: Holder): boolean {
  return !exceeds(actor, { permissions: ['*:*'], dataScopes: { '*': 'all' } }).length;
}

/**
 * Nobody widens their own reach through the org tree: a team or subtree scope follows the
 * caller's unit (and the units they head), and approvals follow their manager, so moving
 * oneself to another unit, naming one's own manager or heading a unit oneself is refused
 * (422 `identity.user.self-reach`) — unless the caller already holds everything.
 */
export function assertNotOwnReach(actor: Holder & { userId: string }, field: string): void {
  if (holdsEverything(actor)) return;
  throw new DomainError(
    'rule-violated',
    'identity.user.self-reach',
    `You cannot change your own place in the organisation (${field}): it decides what you see and who approves your requests; ask an administrator`,
    {},
    [{ field, message: 'cannot be changed for yourself' }],
  );
}
