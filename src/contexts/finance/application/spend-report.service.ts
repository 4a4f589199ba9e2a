import { Injectable } from '@nestjs/common';
import { Tx } from '../../../platform/database/transaction.js';
import type { Actor } from '../../../platform/identity/domain/actor.js';
import { DataScopeService } from '../../../platform/identity/application/data-scope.js';
import { COST_CENTRE_RESOURCE } from './cost-centre.service.js';

export interface SpendReportQuery {
  costCentreId?: string;
  /** First month, `YYYY-MM` (inclusive). */
  from?: string;
  /** Last month, `YYYY-MM` (inclusive). */
  to?: string;
}

export interface SpendCell {
  month: string;
  category: string;
  spentMinor: number;
}

export interface SpendReportRow {
  costCentreId: string;
  code: string;
  name: string;
  currency: string;
  capMinor: number;
  warningLineMinor: number;
  spentMinor: number;
  reservedMinor: number;
  availableMinor: number;
  /** Posted spending in the period (sum of the cells). */
  periodSpentMinor: number;
  /** Posted spending / cap, in percent (one decimal). */
  utilisationPct: number;
  cells: SpendCell[];
}

/** Spend per cost centre by category and month vs cap: one SQL aggregate over the posting rows of the ledger. */
@Injectable()
export class SpendReportService {
  constructor(private readonly tx: Tx, private readonly dataScope: DataScopeService) {}

  async spend(actor: Actor, query: SpendReportQuery): Promise<SpendReportRow[]> {
    const owners = await this.dataScope.visibleOwnerIds(actor, COST_CENTRE_RESOURCE);
    const rows: Array<Record<string, string | null>> = await this.tx.tx.query(
      `WITH centres AS (
         SELECT c.* FROM finance.cost_centre c
          WHERE ($1::uuid IS NULL OR c.id = $1) AND ($2::uuid[] IS NULL OR c.owner_id = ANY($2))
          ORDER BY c.code LIMIT 500
       ), cells AS (
         SELECT l.cost_centre_id, to_char(date_trunc('month', l.occurred_on), 'YYYY-MM') AS month,
                coalesce(l.category, 'uncategorised') AS category, sum(l.spent_delta_minor) AS spent_minor
           FROM finance.ledger_entry l JOIN centres c ON c.id = l.cost_centre_id
          WHERE l.kind = 'posting'
            AND ($3::date IS NULL OR l.occurred_on >= $3) AND ($4::date IS NULL OR l.occurred_on < $4)
          GROUP BY 1, 2, 3
       )
       SELECT c.id, c.code, c.name, c.currency, c.cap_minor, c.warning_line_minor, c.spent_minor, c.reserved_minor,
              x.month, x.category, x.spent_minor AS cell_minor
         FROM centres c LEFT JOIN cells x ON x.cost_centre_id = c.id
        ORDER BY c.code, x.month, x.category`,
      [query.costCentreId ?? null, owners, query.from ? `${query.from}-01` : null, query.to ? nextMonth(query.to) : null],
    );
    const byCentre = new Map<string, SpendReportRow>();
    for (const r of rows) {
      let row = byCentre.get(r.id!);
      if (!row) {
        const cap = Number(r.cap_minor);
        const spent = Number(r.spent_minor);
        const reserved = Number(r.reserved_minor);
        row = {
          costCentreId: r.id!, code: r.code!, name: r.name!, currency: r.currency!.trim(), capMinor: cap, warningLineMinor: Number(r.warning_line_minor),
          spentMinor: spent, reservedMinor: reserved, availableMinor: Math.max(0, cap - spent - reserved), periodSpentMinor: 0, utilisationPct: 0, cells: [],
        };
        byCentre.set(r.id!, row);
      }
      if (r.month) {
        const cell = { month: r.month, category: r.category!, spentMinor: Number(r.cell_minor) };
        row.cells.push(cell);
        row.periodSpentMinor += cell.spentMinor;
      }
    }
    for (const row of byCentre.values()) row.utilisationPct = row.capMinor === 0 ? 0 : Math.round((row.periodSpentMinor * 1000) / row.capMinor) / 10;
    return [...byCentre.values()];
  }
}

/** `2026-03` → `2026-04-01` (exclusive upper bound). */
function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}
