import { Injectable } from '@nestjs/common';
import { Tx } from '../../../platform/database/transaction.js';
import { Clock } from '../../../platform/scheduling/clock.js';

/**
 * Human codes such as `EXP-2026-000123`: one counter row per prefix and year, bumped with
 * `INSERT … ON CONFLICT DO UPDATE … RETURNING` inside the use case's transaction, so a code is
 * used only if the record commits (gap-free; creations of one prefix serialize on the row).
 */
@Injectable()
export class CodeCounter {
  constructor(private readonly tx: Tx, private readonly clock: Clock) {}

  async next(prefix: 'CC' | 'EXP' | 'ADV' | 'INC'): Promise<string> {
    const year = this.clock.now().getUTCFullYear();
    const [row] = await this.tx.tx.query(
      `INSERT INTO finance.code_counter AS c (prefix, year, last_value) VALUES ($1, $2, 1)
       ON CONFLICT (prefix, year) DO UPDATE SET last_value = c.last_value + 1
       RETURNING last_value`,
      [prefix, year],
    );
    return `${prefix}-${year}-${String(row.last_value).padStart(6, '0')}`;
  }
}
