import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ClsService } from 'nestjs-cls';
import { DomainError } from '../errors/domain-error.js';
import { CLS_ACTOR, PERMISSION_KEY, PUBLIC_KEY, hasPermission, type Actor } from './actor.js';
import { Authenticator } from './authenticator.js';

/** nestjs-cls key of the caller's IP address (recorded in audit entries). */
export const CLS_CLIENT_IP = 'clientIp';

/**
 * The one gate every route passes: public routes go through; every other route must name a
 * permission (deny by default), the caller must authenticate, and hold that permission.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly cls: ClsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; actor?: Actor; ip?: string }>();
    if (this.cls.isActive()) this.cls.set(CLS_CLIENT_IP, request.ip);
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const permission = this.reflector.getAllAndOverride<string | undefined>(PERMISSION_KEY, targets);
    if (!permission) {
      throw new DomainError('forbidden', 'route-without-permission', 'This route declares no permission and is closed');
    }
    const actor = await this.authenticator.authenticate(request.headers);
    if (!actor) throw new DomainError('unauthenticated', 'unauthenticated', 'Sign in: send a Bearer access token or an X-API-Key');
    request.actor = actor;
    if (this.cls.isActive()) this.cls.set(CLS_ACTOR, actor);
    if (!hasPermission(actor, permission)) {
      throw new DomainError('forbidden', 'permission-denied', `This operation needs the permission ${permission}`, { permission });
    }
    return true;
  }
}
