import { Injectable } from '@nestjs/common';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Tx } from '../../database/transaction.js';
import { scopeFor, type Actor, type DataScope } from '../domain/actor.js';
import { DataScopeService, type ScopeColumns, type ScopedRecord } from './data-scope.js';

/**
 * The users whose records a team / subtree scope reaches, as SQL over `$me` and `$unit`:
 * - team: users of my org unit, and of units I head;
 * - subtree: users of my unit or any unit below it, and of the subtrees of units I head
 *   (the closure table answers "below" with one indexed join, no recursion).
 */
const VISIBLE_USERS: Record<'team' | 'subtree', (me: string, unit: string) => string> = {
  team: (me, unit) =>
    `SELECT su.id FROM platform.app_user su
      WHERE su.org_unit_id = ${unit}
         OR su.org_unit_id IN (SELECT so.id FROM platform.org_unit so WHERE so.head_user_id = ${me})`,
  subtree: (me, unit) =>
    `SELECT su.id FROM platform.app_user su
       JOIN platform.org_unit_closure sc ON sc.descendant_id = su.org_unit_id
      WHERE sc.ancestor_id = ${unit}
         OR sc.ancestor_id IN (SELECT so.id FROM platform.org_unit so WHERE so.head_user_id = ${me})`,
};

export const isAccountConfined = (actor: Pick<Actor, 'kind'>) => actor.kind === 'partner' || actor.kind === 'customer';

/**
 * Data scopes over the org tree. Partner and customer users see only records whose account
 * column is their account (and nothing of a resource without one), whatever their roles say.
 * Every query goes through `Tx`, so it joins the use case's open transaction.
 */
@Injectable()
export class OrgTreeDataScopeService extends DataScopeService {
  private sequence = 0;

  constructor(private readonly tx: Tx) {
    super();
  }

  async apply<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, actor: Actor, resource: string, columns: ScopeColumns): Promise<SelectQueryBuilder<T>> {
    const alias = qb.alias;
    const p = `scope${(this.sequence = (this.sequence + 1) % 1_000_000)}`;
    if (isAccountConfined(actor)) {
      if (!columns.account || !actor.accountId) return qb.andWhere('1 = 0');
      return qb.andWhere(`${alias}.${columns.account} = :${p}account`, { [`${p}account`]: actor.accountId });
    }
    const scope = scopeFor(actor, resource);
    if (scope === 'all') return qb;
    const owner = `${alias}.${columns.owner}`;
    const params = { [`${p}me`]: actor.userId, [`${p}unit`]: actor.orgUnitId };
    if (scope === 'own') return qb.andWhere(`${owner} = :${p}me`, params);
    return qb.andWhere(`(${owner} = :${p}me OR ${owner} IN (${VISIBLE_USERS[scope](`:${p}me`, `:${p}unit`)}))`, params);
  }

  async canSee(actor: Actor, resource: string, record: ScopedRecord): Promise<boolean> {
    if (isAccountConfined(actor)) return !!actor.accountId && record.accountId === actor.accountId;
    const scope = scopeFor(actor, resource);
    if (scope === 'all') return true;
    if (!record.ownerId) return false;
    if (record.ownerId === actor.userId) return true;
    if (scope === 'own') return false;
    const rows: unknown[] = await this.tx.tx.query(`SELECT 1 FROM (${VISIBLE_USERS[scope]('$1', '$2')}) v WHERE v.id = $3 LIMIT 1`, [
      actor.userId,
      actor.orgUnitId,
      record.ownerId,
    ]);
    return rows.length > 0;
  }

  async visibleOwnerIds(actor: Actor, resource: string): Promise<string[] | null> {
    if (isAccountConfined(actor)) return [];
    const scope: DataScope = scopeFor(actor, resource);
    if (scope === 'all') return null;
    if (scope === 'own') return [actor.userId];
    const rows: { id: string }[] = await this.tx.tx.query(VISIBLE_USERS[scope]('$1', '$2'), [actor.userId, actor.orgUnitId]);
    return [...new Set([actor.userId, ...rows.map((r) => r.id)])];
  }
}
