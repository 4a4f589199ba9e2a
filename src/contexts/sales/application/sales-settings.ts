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
} as const;

const DEFAULTS: Record<string, unknown> = {
  'lead-pool-return-days': 30,
  'lead-claim-limit': 50,
  'birthday-reminder-days': 3,
  'pipeline-default-currency': 'EUR',
  'lead-import-max-rows': 1000,
  'customer-360-recent-items': 10,
};

@Injectable()
export class SalesSettings {
  constructor(private readonly tx: Tx) {}

  async get<T extends number | string>(key: (typeof SALES_SETTINGS)[keyof typeof SALES_SETTINGS]): Promise<T> {
    const rows: Array<{ value: T }> = await this.tx.tx.query(`SELECT value FROM sales.setting WHERE key = $1`, [key]);
    return rows[0]?.value ?? (DEFAULTS[key] as T);
  }
}
