import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ClsService } from 'nestjs-cls';
import { DomainError } from '../../errors/domain-error.js';
import { CLS_ACTOR, PERMISSION_KEY, PUBLIC_KEY, hasPermission, type Actor } from '../domain/actor.js';
import { Authenticator } from './authenticator.js';

/** nestjs-cls key of the caller's IP address (recorded in audit entries). */
export const CLS_CLIENT_IP = 'clientIp';

/** What a route declares: public, or the permission it needs (none → closed). */
interface RouteAccess {
  public: boolean;
  permission: string | undefined;
}

/**
 * The one gate every route passes: public routes go through; every other route must name a
 * permission (deny by default), the caller must authenticate, and hold that permission.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  /** Per handler and class: its declared access, read from metadata once, not per request. */
  private readonly routes = new WeakMap<object, WeakMap<object, RouteAccess>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly cls: ClsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const route = this.routeAccess(context.getHandler(), context.getClass());
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; actor?: Actor; ip?: string }>();
    // The request's CLS store (opened per request in request-context.ts); absent outside HTTP.
    const store = this.cls.get<Record<string, unknown> | undefined>();
    if (store) Object.defineProperty(store, CLS_CLIENT_IP, { get: () => request.ip, configurable: true, enumerable: true });
    if (route.public) return true;
    if (!route.permission) {
      throw new DomainError('forbidden', 'route-without-permission', 'This route declares no permission and is closed');
    }
    const actor = await this.authenticator.authenticate(request.headers);
    if (!actor) throw new DomainError('unauthenticated', 'unauthenticated', 'Sign in: send a Bearer access token or an X-API-Key');
    request.actor = actor;
    if (store) store[CLS_ACTOR] = actor;
    if (!hasPermission(actor, route.permission)) {
      throw new DomainError('forbidden', 'permission-denied', `This operation needs the permission ${route.permission}`, { permission: route.permission });
    }
    return true;
  }

  private routeAccess(handler: object, controller: object): RouteAccess {
    let byClass = this.routes.get(handler);
    if (!byClass) this.routes.set(handler, (byClass = new WeakMap()));
    let route = byClass.get(controller);
    if (!route) {
      const targets = [handler, controller] as Array<() => void>;
      route = {
        public: !!this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets),
        permission: this.reflector.getAllAndOverride<string | undefined>(PERMISSION_KEY, targets),
      };
      byClass.set(controller, route);
    }
    return route;
  }
}
