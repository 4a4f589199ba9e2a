import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { uuidv7 } from 'uuidv7';
import { queryPrepared } from '../database/prepared.js';
import { Tx } from '../database/transaction.js';
import { CLS_ACTOR, type Actor } from '../identity/actor.js';
import { CLS_CLIENT_IP } from '../identity/access.guard.js';
import { AuditLog, type AuditRecord } from './audit-log.js';
import { auditDiff } from './audit-diff.js';

/**
 * Writes audit rows in the current transaction. The actor defaults to the request's
 * authenticated caller (nestjs-cls); the caller's IP and request id come from the request.
 */
@Injectable()
export class SqlAuditLog extends AuditLog {
  constructor(private readonly tx: Tx, private readonly cls: ClsService) {
    super();
  }

  async record(entry: AuditRecord): Promise<void> {
    const active = this.cls.isActive();
    const actor: Actor | null = entry.actor ?? (active ? (this.cls.get<Actor | undefined>(CLS_ACTOR) ?? null) : null);
    const changes = auditDiff(entry.before, entry.after);
    await queryPrepared(
      this.tx.tx,
      `INSERT INTO platform.audit_entries (id, at, actor_type, actor_id, actor_user_id, ip, request_id, record_type, record_id, action, changes)
       VALUES ($1, clock_timestamp(), $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        uuidv7(),
        actor?.type ?? null,
        actor?.id ?? null,
        actor?.userId ?? null,
        active ? (this.cls.get<string | undefined>(CLS_CLIENT_IP) ?? null) : null,
        active ? (this.cls.getId() ?? null) : null,
        entry.recordType,
        entry.recordId,
        entry.action,
        JSON.stringify(changes),
      ],
    );
  }
}
