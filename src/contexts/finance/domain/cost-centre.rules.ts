import { DomainError } from '../../../platform/errors/domain-error.js';

export const COST_CENTRE_STATUSES = ['ok', 'warning', 'exhausted', 'closed'] as const;
export type CostCentreStatus = (typeof COST_CENTRE_STATUSES)[number];

/** The money figures of a cost centre (minor units). `used` = spent + reserved counts against the cap. */
export interface CostCentreFigures {
  capMinor: number;
  warningLineMinor: number;
  spentMinor: number;
  reservedMinor: number;
}

export const usedOf = (f: Pick<CostCentreFigures, 'spentMinor' | 'reservedMinor'>) => f.spentMinor + f.reservedMinor;
export const availableOf = (f: CostCentreFigures) => Math.max(0, f.capMinor - usedOf(f));

/**
 * The status a centre's figures give: exhausted at or above the cap, warning at or above the
 * warning line, ok below. A closed centre stays closed. Mirrored in SQL by {@link statusSql}.
 */
export function costCentreStatus(f: CostCentreFigures, closed = false): CostCentreStatus {
  if (closed) return 'closed';
  const used = usedOf(f);
  if (used >= f.capMinor) return 'exhausted';
  if (used >= f.warningLineMinor) return 'warning';
  return 'ok';
}

/**
 * The same rule as {@link costCentreStatus}, as a SQL expression over the NEW figures, for
 * use inside the one conditional UPDATE that changes them (`used`, `cap`, `warning` are SQL
 * expressions of the new values).
 */
export const statusSql = (used: string, cap = 'cap_minor', warning = 'warning_line_minor') =>
  `CASE WHEN status = 'closed' THEN 'closed' WHEN ${used} >= ${cap} THEN 'exhausted' WHEN ${used} >= ${warning} THEN 'warning' ELSE 'ok' END`;

export interface Crossings {
  /** Spending (spent + reserved) went from below the warning line to at or above it. */
  warningLineReached: boolean;
  /** Spending went from below the cap to at or above it. */
  exhausted: boolean;
}

/** Which thresholds one change crossed upwards (each crossing is reported once). */
export function crossings(before: CostCentreFigures, after: CostCentreFigures): Crossings {
  const b = usedOf(before);
  const a = usedOf(after);
  return {
    warningLineReached: b < before.warningLineMinor && a >= after.warningLineMinor,
    exhausted: b < before.capMinor && a >= after.capMinor,
  };
}

/** Checks cap and warning line values of a new or changed centre against its current spending. */
export function assertLimits(capMinor: number, warningLineMinor: number, usedMinor = 0): void {
  if (warningLineMinor > capMinor) {
    throw new DomainError('rule-violated', 'finance.cost-centre.warning-line-above-cap', `The warning line (${warningLineMinor}) must not be above the cap (${capMinor})`, {
      capMinor,
      warningLineMinor,
    });
  }
  if (capMinor < usedMinor) {
    throw new DomainError(
      'rule-violated',
      'finance.cost-centre.cap-below-committed',
      `The cap (${capMinor}) cannot be below what is already spent or reserved (${usedMinor}); release or reject pending claims first`,
      { capMinor, committedMinor: usedMinor },
    );
  }
}

/** Default warning line: a percentage of the cap, rounded down. */
export const warningLineFor = (capMinor: number, pct: number) => Math.floor((capMinor * pct) / 100);
