import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { uuidv7 } from 'uuidv7';
import { CommitWrites } from '../database/commit-writes.js';
import { Tx } from '../database/transaction.js';
import { CLS_ACTOR, type Actor } from '../identity/domain/actor.js';
import { CLS_CLIENT_IP } from '../identity/application/access.guard.js';
import { AuditLog, type AuditRecord } from './audit-log.js';
import { auditDiff } from './audit-diff.js';

const AUDIT = 'audit';

/**
 * Writes audit rows in the current transaction, all of a transaction's rows in one statement
 * right before its COMMIT ({@link CommitWrites}): the rows exist exactly when the change
 * committed. The actor defaults to the request's authenticated caller (nestjs-cls); the
 * caller's IP and request id come from the request. The time is taken when `record` is called.
 */
@Injectable()
export class SqlAuditLog extends AuditLog {
  constructor(private readonly tx: Tx, private readonly cls: ClsService, private readonly commitWrites: CommitWrites) {
    super();
    commitWrites.register(AUDIT, {
      ctes: (doc) => [
        `audit AS (
           INSERT INTO platform.audit_entries (id, at, actor_type, actor_id, actor_user_id, ip, request_id, record_type, record_id, action, changes)
           SELECT id, at, actor_type, actor_id, actor_user_id, ip, request_id, record_type, record_id, action, changes
             FROM jsonb_to_recordset(${doc}) AS x(id uuid, at timestamptz, actor_type text, actor_id uuid, actor_user_id uuid, ip text,
                                                   request_id text, record_type text, record_id text, action text, changes jsonb))`,
      ],
    });
  }

  async record(entry: AuditRecord): Promise<void> {
    const active = this.cls.isActive();
    const actor: Actor | null = entry.actor ?? (active ? (this.cls.get<Actor | undefined>(CLS_ACTOR) ?? null) : null);
    this.commitWrites.defer(this.tx.tx, AUDIT, {
      id: uuidv7(),
      at: new Date().toISOString(),
      actor_type: actor?.type ?? null,
      actor_id: actor?.id ?? null,
      actor_user_id: actor?.userId ?? null,
      ip: active ? (this.cls.get<string | undefined>(CLS_CLIENT_IP) ?? null) : null,
      request_id: active ? (this.cls.getId() ?? null) : null,
      record_type: entry.recordType,
      record_id: entry.recordId,
      action: entry.action,
      changes: auditDiff(entry.before, entry.after),
    });
  }
}
