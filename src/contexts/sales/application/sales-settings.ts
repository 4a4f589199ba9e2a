import { Injectable } from '@nestjs/common';
import { Tx } from '../../../platform/database/transaction.js';

/**
 * System parameters of Sales (table `sales.setting`, seeded by the migrations; changed through
 * `PATCH /api/v1/sales/settings`, see SalesSettingsService). Read in the current transaction.
 */
export const SALES_SETTINGS = {
  /** Days without activity after which an owned open lead returns to the pool. Default 30. */
  leadPoolReturnDays: 'lead-pool-return-days',
  /** Open leads (assigned/working) a rep may hold when claiming from the pool. Default 50. */
  leadClaimLimit: 'lead-claim-limit',
  /** Days ahead of a contact's birthday that the owner's care task is created. Default 3. */
  birthdayReminderDays: 'birthday-reminder-days',
  /** Currency of the pipeline summary when none is asked for. Default EUR. */
  pipelineDefaultCurrency: 'pipeline-default-currency',
  /** Data rows one lead CSV import may carry. Default 1000. */
  leadImportMaxRows: 'lead-import-max-rows',
  /** Recent activities, calls and campaign touches the customer 360 shows. Default 10. */
  customer360RecentItems: 'customer-360-recent-items',
  /**
   * Whether a possible-duplicate answer (accounts/contacts create) tells how many matching records
   * the caller cannot see (`hiddenCandidates`). Default false: the count is left out, so a refusal
   * never reveals that an invisible record exists.
   */
  duplicateCheckRevealHiddenCandidates: 'duplicate-check-reveal-hidden-candidates',
} as const;

const DEFAULTS: Record<string, unknown> = {
  'lead-pool-return-days': 30,
  'lead-claim-limit': 50,
  'birthday-reminder-days': 3,
  'pipeline-default-currency': 'EUR',
  'lead-import-max-rows': 1000,
  'customer-360-recent-items': 10,
  'duplicate-check-reveal-hidden-candidates': false,
};

@Injectable()
export class SalesSettings {
  constructor(private readonly tx: Tx) {}

  async get<T extends number | string | boolean>(key: (typeof SALES_SETTINGS)[keyof typeof SALES_SETTINGS]): Promise<T> {
    const rows: Array<{ value: T }> = await this.tx.tx.query(`SELECT value FROM sales.setting WHERE key = $1`, [key]);
    return rows[0]?.value ?? (DEFAULTS[key] as T);
  }

  /**
   * The `hiddenCandidates` extra of a possible-duplicate answer: how many of the `matches` the
   * caller cannot see — only when the setting `duplicateCheckRevealHiddenCandidates` is on; else
   * nothing (the field is absent).
   */
  async hiddenDuplicateCandidates(matches: number, visible: number): Promise<{ hiddenCandidates?: number }> {
    return (await this.get<boolean>(SALES_SETTINGS.duplicateCheckRevealHiddenCandidates)) === true ? { hiddenCandidates: matches - visible } : {};
  }
}
