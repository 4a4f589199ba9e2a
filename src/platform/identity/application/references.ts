import { Injectable } from '@nestjs/common';
import { DomainError } from '../../errors/domain-error.js';
import type { Actor } from '../domain/actor.js';
import { DataScopeService } from './data-scope.js';
import { RecordScopeRegistry } from './record-scope.registry.js';

/**
 * The answer to an id a write refers to that does not exist — and, identically, to one the
 * caller cannot see: 422 with the field named and nothing about the record (no owner, no
 * amounts), so a refusal never tells an outsider that a record exists.
 */
export function unknownReference(field: string, recordType: string, id: string, code = `${recordType}.unknown`): DomainError {
  return new DomainError('rule-violated', code, `${field}: ${recordType} ${id} does not exist`, {}, [{ field, message: `no such ${recordType}` }]);
}

/**
 * Checks the ids a write refers to (`accountId`, `costCentreId`, `relatedId`, …) against the
 * caller's data scope, for any record type a context registered with the
 * {@link RecordScopeRegistry}: the record must exist and be visible to the caller under the
 * scope of its own resource (`sales.account`, `finance.cost-centre`, …). Missing and out of
 * scope answer alike ({@link unknownReference}). A record type nobody registered has no
 * records, so every id of it is unknown. `actor` null = a system use case: existence only.
 */
@Injectable()
export class References {
  constructor(
    private readonly registry: RecordScopeRegistry,
    private readonly scopes: DataScopeService,
  ) {}

  /** Whether the record exists and the caller may see it. */
  async visible(actor: Actor | null, recordType: string, id: string): Promise<boolean> {
    const record = await this.registry.load(recordType, id);
    if (!record) return false;
    if (!actor) return true;
    const own = this.registry.visibility(recordType);
    return own ? own(actor, id) : this.scopes.canSee(actor, recordType, record);
  }

  /** Throws {@link unknownReference} unless the record exists and the caller may see it. */
  async assertVisible(actor: Actor | null, recordType: string, id: string, field: string, code?: string): Promise<void> {
    if (!(await this.visible(actor, recordType, id))) throw unknownReference(field, recordType, id, code);
  }

  /**
   * Whether the caller sees a user already read from the directory (their `identity.user`
   * scope), without reading the user again — for use cases that also check the user is active.
   */
  seesUser(actor: Actor | null, user: { id: string; accountId: string | null }): Promise<boolean> {
    return actor ? this.scopes.canSee(actor, 'identity.user', { ownerId: user.id, accountId: user.accountId }) : Promise.resolve(true);
  }
}
