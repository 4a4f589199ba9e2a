import { Injectable } from '@nestjs/common';
import { In, IsNull } from 'typeorm';
import { auditable } from '../../audit/audit-diff.js';
import { AuditLog } from '../../audit/audit-log.js';
import { Transactional, Tx } from '../../database/transaction.js';
import { DomainError, NotFoundError } from '../../errors/domain-error.js';
import { mapPage, paginate, type Page } from '../../http/pagination.js';
import { ApiKey } from '../domain/api-key.entity.js';
import { hasPermission, type Actor } from '../domain/actor.js';
import type { ApiKeyListQuery, CreateApiKeyRequest } from '../api/identity.request.js';
import { toApiKeyResponse, type ApiKeyResponse, type CreatedApiKeyResponse } from '../api/identity.response.js';
import { randomToken, sha256 } from './secrets.js';

const RECORD = 'identity.api-key';

/**
 * API keys for scripts and integrations: `crm_<random>`, shown once, stored as SHA-256. A key
 * carries its own permission set (at most what its creator holds when it is made) and acts
 * with the intersection of that set and its creator's CURRENT permissions (see
 * `ActorLoader.apiKey`), with its creator's data scopes. It stops working when revoked;
 * deactivating its creator revokes it (reactivation does not bring it back).
 */
@Injectable()
export class ApiKeysService {
  constructor(private readonly tx: Tx, private readonly audit: AuditLog) {}

  private get repo() {
    return this.tx.tx.getRepository(ApiKey);
  }

  @Transactional()
  async create(actor: Actor, input: CreateApiKeyRequest): Promise<CreatedApiKeyResponse> {
    const notHeld = input.permissions.filter((p) => !hasPermission(actor, p));
    if (notHeld.length) {
      throw new DomainError('rule-violated', 'identity.api-key.permission-not-held', `A key cannot hold permissions its creator lacks: ${notHeld.join(', ')}`, {}, [
        { field: 'permissions', message: `not held by you: ${notHeld.join(', ')}` },
      ]);
    }
    const key = `crm_${randomToken(32)}`;
    const apiKey = await this.repo.save(
      this.repo.create({
        name: input.name,
        prefix: key.slice(0, 12),
        keyHash: sha256(key),
        permissions: [...new Set(input.permissions)],
        createdBy: actor.userId,
        lastUsedAt: null,
        revokedAt: null,
      }),
    );
    await this.audit.record({ actor: null, recordType: RECORD, recordId: apiKey.id, action: 'create', after: auditable(toApiKeyResponse(apiKey)) });
    return { ...toApiKeyResponse(apiKey), key };
  }

  @Transactional()
  async revoke(id: string): Promise<void> {
    const before = await this.repo.findOneBy({ id });
    if (!before) throw new NotFoundError(RECORD, id);
    if (before.revokedAt) return;
    await this.tx.tx.query(`UPDATE platform.api_key SET revoked_at = now(), version = version + 1, updated_at = now() WHERE id = $1`, [id]);
    const after = await this.repo.findOneByOrFail({ id });
    await this.audit.record({
      actor: null,
      recordType: RECORD,
      recordId: id,
      action: 'revoke',
      before: auditable(toApiKeyResponse(before)),
      after: auditable(toApiKeyResponse(after)),
    });
  }

  /**
   * Revokes every live key a user created, inside the caller's transaction (deactivation): a
   * key stays revoked when its creator is reactivated, until a new one is issued. One audit
   * row per key.
   */
  @Transactional()
  async revokeAllCreatedBy(userId: string): Promise<void> {
    const live = await this.repo.findBy({ createdBy: userId, revokedAt: IsNull() });
    if (!live.length) return;
    const ids = live.map((k) => k.id);
    await this.tx.tx.query(`UPDATE platform.api_key SET revoked_at = now(), version = version + 1, updated_at = now() WHERE id = ANY($1::uuid[])`, [ids]);
    const after = new Map((await this.repo.findBy({ id: In(ids) })).map((k) => [k.id, k]));
    for (const before of live) {
      await this.audit.record({
        actor: null,
        recordType: RECORD,
        recordId: before.id,
        action: 'revoke',
        before: auditable(toApiKeyResponse(before)),
        after: auditable(toApiKeyResponse(after.get(before.id)!)),
      });
    }
  }

  async list(query: ApiKeyListQuery): Promise<Page<ApiKeyResponse>> {
    const qb = this.repo.createQueryBuilder('k');
    if (!query.includeRevoked) qb.andWhere('k.revokedAt IS NULL');
    const page = await paginate(qb, query, { sortable: { createdAt: 'createdAt', name: 'name' }, defaultSort: '-createdAt' });
    return mapPage(page, toApiKeyResponse);
  }
}
