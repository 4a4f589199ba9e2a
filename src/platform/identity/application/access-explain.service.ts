import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DomainError, NotFoundError } from '../../errors/domain-error.js';
import { ActorLoader } from './actor-loader.js';
import { hasPermission, scopeFor, type Actor } from '../domain/actor.js';
import { DataScopeService } from './data-scope.js';
import { isAccountConfined } from './data-scope.service.js';
import type { AccessExplanationResponse } from '../api/identity.response.js';
import { RecordScopeRegistry } from './record-scope.registry.js';
import { Tx } from '../../database/transaction.js';

/** Answers "why can (or can't) this user see this record": permission, scope, ownership. */
@Injectable()
export class AccessExplainService implements OnModuleInit {
  constructor(
    private readonly tx: Tx,
    private readonly actors: ActorLoader,
    private readonly scopes: DataScopeService,
    private readonly registry: RecordScopeRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register('identity.user', { table: 'platform.app_user', ownerColumn: 'id', accountColumn: 'account_id' });
  }

  async explain(userId: string, recordType: string, recordId: string): Promise<AccessExplanationResponse> {
    if (!this.registry.has(recordType)) {
      throw new DomainError('invalid', 'validation-failed', `Unknown record type ${recordType}`, {}, [
        { field: 'recordType', message: `one of ${this.registry.types().join(', ')}` },
      ]);
    }
    const user = await this.actors.user(userId);
    if (!user) throw new NotFoundError('identity.user', userId);
    const actor: Actor = user;
    const reasons: string[] = [];
    const permissionName = `${recordType}:read`;
    const granted = hasPermission(actor, permissionName);
    const grantedBy = await this.rolesGranting(user.roles, permissionName);
    if (!user.active) reasons.push('The user is deactivated: every request is refused (401)');
    reasons.push(
      granted
        ? `The user holds ${permissionName}${grantedBy.length ? ` through ${grantedBy.join(', ')}` : ''}`
        : `No role of the user grants ${permissionName} (roles: ${user.roles.join(', ') || 'none'})`,
    );

    const record = await this.registry.load(recordType, recordId);
    const scope = isAccountConfined(actor) ? 'account' : scopeFor(actor, recordType);
    let inScope = false;
    if (!record) {
      reasons.push(`There is no ${recordType} ${recordId}`);
    } else {
      inScope = await this.scopes.canSee(actor, recordType, record);
      reasons.push(this.scopeReason(actor, scope, record.ownerId, record.accountId ?? null, inScope));
    }
    return {
      userId,
      recordType,
      recordId,
      canRead: user.active && granted && inScope,
      permission: { name: permissionName, granted, grantedBy },
      scope,
      inScope,
      record: { found: !!record, ownerId: record?.ownerId ?? null, accountId: record?.accountId ?? null },
      reasons,
    };
  }

  private scopeReason(actor: Actor, scope: string, ownerId: string | null, accountId: string | null, inScope: boolean): string {
    if (scope === 'account') {
      return inScope
        ? `A ${actor.kind} user sees the records of their account ${actor.accountId}, and this record belongs to it`
        : `A ${actor.kind} user sees only the records of their account ${actor.accountId ?? '(none)'}; this record's account is ${accountId ?? 'none'}`;
    }
    if (scope === 'all') return 'Scope all: every record is visible';
    const who = ownerId === actor.userId ? 'the user' : ownerId ? `user ${ownerId}` : 'nobody';
    const reach: Record<string, string> = {
      own: 'records the user owns',
      team: `records owned by the user or by members of their org unit ${actor.orgUnitId ?? '(none)'} (or units they head)`,
      subtree: `records owned by the user or by members of their org unit ${actor.orgUnitId ?? '(none)'} and every unit below it (or below units they head)`,
    };
    return `Scope ${scope}: ${reach[scope]}; the record is owned by ${who}, so it is ${inScope ? 'visible' : 'not visible'}`;
  }

  private async rolesGranting(roles: string[], permission: string): Promise<string[]> {
    if (roles.length === 0) return [];
    const rows: { key: string; permissions: string[] }[] = await this.tx.tx.query(
      `SELECT key, permissions FROM platform.role WHERE key = ANY($1::text[]) ORDER BY key`,
      [roles],
    );
    return rows.filter((r) => hasPermission({ permissions: new Set(r.permissions) }, permission)).map((r) => r.key);
  }
}
