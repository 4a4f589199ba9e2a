import { Injectable } from '@nestjs/common';
import { AccessTokens } from './access-tokens.js';
import { ActorLoader } from './actor-loader.js';
import type { Actor } from '../domain/actor.js';
import { sha256 } from './secrets.js';

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * Resolves the caller from request headers (Bearer JWT or X-API-Key). Returns null when the
 * request carries no valid credentials. A Bearer token must verify (HS256, issuer, audience,
 * expiry) and belong to an active user whose session version it carries — so deactivation and
 * password resets cut existing tokens off at once.
 */
@Injectable()
export class Authenticator {
  constructor(private readonly tokens: AccessTokens, private readonly actors: ActorLoader) {}

  async authenticate(headers: Record<string, string | string[] | undefined>): Promise<Actor | null> {
    const authorization = first(headers.authorization);
    if (authorization !== undefined) {
      const match = /^Bearer ([\w-]+\.[\w-]*\.[\w-]*)$/i.exec(authorization.trim());
      if (!match) return null;
      const claims = await this.tokens.verify(match[1]);
      if (!claims) return null;
      const user = await this.actors.forRequest(claims.sub);
      if (!user || !user.active || user.sessionVersion !== claims.sv) return null;
      const { active: _a, sessionVersion: _s, roles: _r, ...actor } = user;
      return actor;
    }
    const apiKey = first(headers['x-api-key']);
    if (apiKey !== undefined) {
      if (!/^[\x21-\x7e]{16,200}$/.test(apiKey)) return null;
      return this.actors.apiKey(sha256(apiKey));
    }
    return null;
  }
}
