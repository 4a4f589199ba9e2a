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
