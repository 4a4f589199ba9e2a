import { Injectable } from '@nestjs/common';
import { auditChange } from '../../../platform/audit/audit-diff.js';
import { AuditLog } from '../../../platform/audit/audit-log.js';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import { assertVersion } from '../../../platform/database/versioned-update.js';
import type { Actor } from '../../../platform/identity/domain/actor.js';
import { changedFields, refuseNulls } from './changes.js';
import { SALES_SETTINGS, SalesSettings } from './sales-settings.js';

/** Every Sales parameter by its API name (the keys of {@link SALES_SETTINGS}). */
export interface SalesSettingsValues {
  leadPoolReturnDays: number;
  leadClaimLimit: number;
  birthdayReminderDays: number;
  pipelineDefaultCurrency: string;
  leadImportMaxRows: number;
  customer360RecentItems: number;
  duplicateCheckRevealHiddenCandidates: boolean;
}

export interface SalesSettingsView extends SalesSettingsValues {
  version: number;
  updatedAt: Date;
}

/** Descriptions stored beside the values (`sales.setting.description`). */
const DESCRIPTIONS: Record<keyof SalesSettingsValues, string> = {
  leadPoolReturnDays: 'Days without activity after which an owned open lead returns to the lead pool',
  leadClaimLimit: 'Open leads (assigned or working) a rep may hold when claiming from the pool',
  birthdayReminderDays: "Days before a contact's birthday that the owner gets a care task",
  pipelineDefaultCurrency: 'Currency of the pipeline summary when the caller names none',
  leadImportMaxRows: 'Data rows one lead CSV import may carry',
  customer360RecentItems: 'Recent activities, calls and campaign touches the customer 360 shows',
  duplicateCheckRevealHiddenCandidates: 'Whether a possible-duplicate answer counts the matching records the caller cannot see (hiddenCandidates)',
};

const FIELDS = Object.keys(SALES_SETTINGS) as Array<keyof SalesSettingsValues>;
const AUDIT_RECORD = { recordType: 'sales.settings', recordId: 'sales' } as const;

/**
 * The Sales parameters as one resource. Its version (one row of `sales.settings_revision`)
 * is the ETag; an update takes that row's lock first, so concurrent updates run one after
 * another and a stale If-Match answers 412. The services read the values through
 * {@link SalesSettings} in their own transactions, so a change applies to the next use case.
 */
@Injectable()
export class SalesSettingsService {
  constructor(private readonly tx: Tx, private readonly audit: AuditLog, private readonly settings: SalesSettings) {}

  async get(): Promise<SalesSettingsView> {
    const [revision]: Array<{ version: number; updated_at: Date }> = await this.tx.tx.query(`SELECT version, updated_at FROM sales.settings_revision`);
    const values = {} as Record<keyof SalesSettingsValues, number | string | boolean>;
    for (const field of FIELDS) values[field] = await this.settings.get(SALES_SETTINGS[field]);
    return { ...(values as unknown as SalesSettingsValues), version: revision.version, updatedAt: new Date(revision.updated_at) };
  }

  /** Changes the given parameters (absent ones stay); no change → no new version. */
  @Transactional()
  async update(actor: Actor, expectedVersion: number | undefined, changes: Partial<SalesSettingsValues>): Promise<SalesSettingsView> {
    refuseNulls(changes, FIELDS);
    const em = this.tx.tx;
    const [{ version }]: Array<{ version: number }> = await em.query(`SELECT version FROM sales.settings_revision FOR UPDATE`);
    assertVersion(expectedVersion, version);
    const before = await this.get();
    const fields = changedFields<SalesSettingsValues>(before, changes);
    if (!fields.length) return before;
    for (const field of fields) {
      await em.query(
        `INSERT INTO sales.setting (key, value, description) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
        [SALES_SETTINGS[field], JSON.stringify(changes[field]), DESCRIPTIONS[field]],
      );
    }
    await em.query(`UPDATE sales.settings_revision SET version = version + 1, updated_at = now()`);
    const after = await this.get();
    await this.audit.record({ actor, ...AUDIT_RECORD, action: 'update', ...auditChange<SalesSettingsValues>(before, after, fields) });
    return after;
  }
}
