/**
 * The cost-centre ledger: every change of a centre's figures is one row, so the figures can be
 * explained and re-derived. Each kind moves the figures by fixed deltas of its amount:
 *
 * | kind        | reserved | spent | income |
 * |-------------|----------|-------|--------|
 * | reservation | +amount  |       |        |
 * | release     | −amount  |       |        |
 * | posting     | −amount  | +amt  |        |  (a reservation turned into spending)
 * | income      |          |       | +amt   |
 */
export const LEDGER_KINDS = ['reservation', 'release', 'posting', 'income'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export const LEDGER_SOURCES = ['expense-claim', 'advance', 'income'] as const;
export type LedgerSource = (typeof LEDGER_SOURCES)[number];

export interface LedgerDeltas {
  reservedDeltaMinor: number;
  spentDeltaMinor: number;
  incomeDeltaMinor: number;
}

export function ledgerDeltas(kind: LedgerKind, amountMinor: number): LedgerDeltas {
  switch (kind) {
    case 'reservation':
      return { reservedDeltaMinor: amountMinor, spentDeltaMinor: 0, incomeDeltaMinor: 0 };
    case 'release':
      return { reservedDeltaMinor: -amountMinor, spentDeltaMinor: 0, incomeDeltaMinor: 0 };
    case 'posting':
      return { reservedDeltaMinor: -amountMinor, spentDeltaMinor: amountMinor, incomeDeltaMinor: 0 };
    case 'income':
      return { reservedDeltaMinor: 0, spentDeltaMinor: 0, incomeDeltaMinor: amountMinor };
  }
}

/** The figures a sequence of ledger rows adds up to (what the centre row must hold). */
export function sumLedger(entries: Array<{ kind: LedgerKind; amountMinor: number }>): { reservedMinor: number; spentMinor: number; incomeMinor: number } {
  return entries.reduce(
    (acc, e) => {
      const d = ledgerDeltas(e.kind, e.amountMinor);
      return { reservedMinor: acc.reservedMinor + d.reservedDeltaMinor, spentMinor: acc.spentMinor + d.spentDeltaMinor, incomeMinor: acc.incomeMinor + d.incomeDeltaMinor };
    },
    { reservedMinor: 0, spentMinor: 0, incomeMinor: 0 },
  );
}
