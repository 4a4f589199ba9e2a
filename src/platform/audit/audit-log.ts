import type { Actor } from '../identity/domain/actor.js';

export interface AuditRecord {
  actor: Actor | null;
  /** e.g. `sales.account` */
  recordType: string;
  recordId: string;
  /** `create | update | delete | <transition verb>` e.g. `win`, `submit`. */
  action: string;
  /** Field values before and after (only changed fields for updates); secrets are dropped. */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/**
 * The change log. `record` writes one audit row in the current use case's transaction (via
 * `Tx`), so the row exists exactly when the change committed. Call it from every write use
 * case. Inject `AuditLog` (the audit module binds the implementation).
 */
export abstract class AuditLog {
  abstract record(entry: AuditRecord): Promise<void>;
}
