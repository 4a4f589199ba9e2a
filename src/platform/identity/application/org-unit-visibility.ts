import { Injectable, type OnModuleInit } from '@nestjs/common';
import { isUuid } from '../../database/ids.js';
import { Tx } from '../../database/transaction.js';
import { scopeFor, type Actor } from '../domain/actor.js';
import { isAccountConfined } from './data-scope.service.js';
import { RecordScopeRegistry } from './record-scope.registry.js';

export const ORG_UNIT_RECORD = 'identity.org-unit';

/**
 * Which org units a caller may refer to (a user's unit, a unit's parent, an approver's unit, …),
 * by their `identity.org-unit` data scope: `all` — any unit; `subtree` — their own unit, the
 * units they head and everything below those; `team` — their own unit and the units they head;
 * `own` — their own unit. Partner and customer users refer to none. Every built-in employee role
 * has `identity.*: all` (people and units are picked in every UI), so this confines custom roles
 * made for delegated administration.
 */
@Injectable()
export class OrgUnitVisibility implements OnModuleInit {
  constructor(
    private readonly tx: Tx,
    private readonly registry: RecordScopeRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(ORG_UNIT_RECORD, { table: 'platform.org_unit', ownerColumn: 'head_user_id' }, { visible: (actor, id) => this.visible(actor, id) });
  }

  async visible(actor: Actor, id: string): Promise<boolean> {
    if (!isUuid(id) || isAccountConfined(actor)) return false;
    const scope = scopeFor(actor, ORG_UNIT_RECORD);
    const sql = {
      all: `SELECT 1 FROM platform.org_unit u WHERE u.id = $1`,
      own: `SELECT 1 FROM platform.org_unit u WHERE u.id = $1 AND u.id = $2`,
      team: `SELECT 1 FROM platform.org_unit u WHERE u.id = $1 AND (u.id = $2 OR u.head_user_id = $3)`,
      subtree: `SELECT 1 FROM platform.org_unit_closure c JOIN platform.org_unit a ON a.id = c.ancestor_id
                 WHERE c.descendant_id = $1 AND (a.id = $2 OR a.head_user_id = $3) LIMIT 1`,
    }[scope];
    const params = scope === 'all' ? [id] : scope === 'own' ? [id, actor.orgUnitId] : [id, actor.orgUnitId, actor.userId];
    const rows: unknown[] = await this.tx.tx.query(sql, params);
    return rows.length > 0;
  }
}
