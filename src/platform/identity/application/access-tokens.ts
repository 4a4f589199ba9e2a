import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const JWT_ISSUER = 'crm-api';
export const JWT_AUDIENCE = 'crm-api';

export interface AccessClaims {
  /** User id. */
  sub: string;
  /** The user's session version when the token was issued; an older one is refused. */
  sv: number;
}

/**
 * Short-lived access JWTs: HS256 with the configured secret, fixed issuer and audience. Verify
 * pins the algorithm (no `alg: none`, no algorithm confusion), issuer, audience and expiry.
 */
/** Bound on remembered verified tokens (one per signed-in client, roughly); past it, it starts over. */
const VERIFIED_CACHE_SIZE = 10_000;

@Injectable()
export class AccessTokens {
  private readonly jwt: JwtService;
  /**
   * Tokens whose signature, algorithm, issuer and audience were verified, with their claims: a
   * client sends the same token with every request for up to 15 minutes, and checking the HMAC
   * and parsing it again each time changes nothing. Expiry is still checked on every use.
   */
  private readonly verified = new Map<string, AccessClaims & { exp: number }>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // The secret as a KeyObject, made once: given a string, jsonwebtoken first tries to parse it
    // as a PEM public key on every sign and verify (an OpenSSL error thrown and caught each
    // time — 15% of a GET's CPU) before falling back to exactly this secret key.
    const key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
    this.jwt = new JwtService({ secretOrKeyProvider: () => key });
  }

  sign(user: { id: string; sessionVersion: number }): Promise<string> {
    return this.jwt.signAsync(
      { sv: user.sessionVersion, typ: 'access' },
      { algorithm: 'HS256', issuer: JWT_ISSUER, audience: JWT_AUDIENCE, subject: user.id, expiresIn: ACCESS_TOKEN_TTL_SECONDS },
    );
  }

  /** The claims of a valid token, or null for anything else (bad signature, expired, wrong iss/aud/alg, malformed). */
  async verify(token: string): Promise<AccessClaims | null> {
    const known = this.verified.get(token);
    if (known) {
      // The same rule as jsonwebtoken's: expired once the current second reaches `exp`.
      if (Math.floor(Date.now() / 1000) < known.exp) return { sub: known.sub, sv: known.sv };
      this.verified.delete(token);
      return null;
    }
    try {
      const claims = await this.jwt.verifyAsync<Record<string, unknown>>(token, {
        algorithms: ['HS256'],
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
      });
      if (claims.typ !== 'access' || typeof claims.sub !== 'string' || typeof claims.sv !== 'number' || typeof claims.exp !== 'number') {
        return null;
      }
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.clear();
      this.verified.set(token, { sub: claims.sub, sv: claims.sv, exp: claims.exp });
      return { sub: claims.sub, sv: claims.sv };
    } catch {
      return null;
    }
  }
}
