import { Injectable } from '@nestjs/common';
import type { Actor } from './actor.js';

/**
 * Resolves the caller from request headers (Bearer JWT or X-API-Key). Returns null when the
 * request carries no valid credentials. Implemented by the identity module.
 */
@Injectable()
export class Authenticator {
  async authenticate(_headers: Record<string, string | string[] | undefined>): Promise<Actor | null> {
    return null;
  }
}
