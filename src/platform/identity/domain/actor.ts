import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';

export type DataScope = 'own' | 'team' | 'subtree' | 'all';
export type UserKind = 'employee' | 'partner' | 'customer' | 'service';

/**
 * Who is calling: a signed-in user or an API key, with the union of their roles' permissions
 * and data scopes. Set on the request by the access guard; read with `@CurrentActor()`.
 */
export interface Actor {
  type: 'user' | 'api-key';
  /** User id, or API key id. Recorded as the actor of audit entries and events. */
  id: string;
  /** The user behind the call (for an API key: the user who created it). */
  userId: string;
  kind: UserKind;
  orgUnitId: string | null;
  /** Partner / customer users: the account they are bound to. */
  accountId: string | null;
  permissions: ReadonlySet<string>;
  /** Per resource (e.g. `sales.account`): how far the actor sees. Absent → `own`. */
  dataScopes: Readonly<Record<string, DataScope>>;
}

export const PERMISSION_KEY = 'crm:permission';
export const PUBLIC_KEY = 'crm:public';

/** The permission a route needs, `<context>.<resource>:<action>`. Every non-public route has one. */
export const Permission = (permission: string) => SetMetadata(PERMISSION_KEY, permission);

/** Marks a route that anyone may call (health, login, web-form capture). Deny is the default. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<{ actor?: Actor }>();
  if (!request.actor) throw new Error('CurrentActor used on a route without authentication');
  return request.actor;
});

/**
 * Whether the actor holds `permission` (`<context>.<resource>:<action>`). Grants may use `*`
 * for a whole segment: `sales.*:read`, `sales.opportunity:*`, `*:read`, `*:*` (admin).
 * `permission` may itself be a pattern (`sales.*:*`): then it is held only when one grant
 * covers every segment of it (`sales.*:*` or `*:*`, never `sales.account:*`).
 */
export function hasPermission(actor: Pick<Actor, 'permissions'>, permission: string): boolean {
  if (actor.permissions.has(permission)) return true;
  const [resource, action] = permission.split(':');
  const context = resource.split('.')[0];
  return (
    actor.permissions.has('*:*') ||
    actor.permissions.has(`${resource}:*`) ||
    actor.permissions.has(`${context}.*:${action}`) ||
    actor.permissions.has(`${context}.*:*`) ||
    actor.permissions.has(`*:${action}`)
  );
}

/** The actor's data scope for a resource (`sales.account`); `<context>.*` grants apply too. Default `own`. */
export function scopeFor(actor: Pick<Actor, 'dataScopes'>, resource: string): DataScope {
  return actor.dataScopes[resource] ?? actor.dataScopes[`${resource.split('.')[0]}.*`] ?? actor.dataScopes['*'] ?? 'own';
}

/** nestjs-cls key under which the access guard stores the authenticated {@link Actor}. */
export const CLS_ACTOR = 'actor';
