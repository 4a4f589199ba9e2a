/**
 * Lead assignment: which rule matches a lead, and which candidate gets it. Pure.
 */
export const ASSIGNMENT_STRATEGIES = ['round-robin', 'least-loaded'] as const;
export type AssignmentStrategy = (typeof ASSIGNMENT_STRATEGIES)[number];

/** Every present criterion must match (AND); lists match any of their values (OR), case-insensitive. */
export interface AssignmentCriteria {
  regions?: string[];
  industries?: string[];
  sources?: string[];
  productInterests?: string[];
  minAmountMinor?: number;
  maxAmountMinor?: number;
}

export interface AssignableLead {
  region: string | null;
  industry: string | null;
  source: string;
  productInterest: string | null;
  estimatedAmountMinor: number | null;
}

const inList = (list: string[] | undefined, value: string | null) =>
  !list || list.length === 0 || (value !== null && list.some((v) => v.toLowerCase() === value.toLowerCase()));

export function matchesCriteria(criteria: AssignmentCriteria, lead: AssignableLead): boolean {
  const amount = lead.estimatedAmountMinor;
  return (
    inList(criteria.regions, lead.region) &&
    inList(criteria.industries, lead.industry) &&
    inList(criteria.sources, lead.source) &&
    inList(criteria.productInterests, lead.productInterest) &&
    (criteria.minAmountMinor === undefined || (amount !== null && amount >= criteria.minAmountMinor)) &&
    (criteria.maxAmountMinor === undefined || (amount !== null && amount <= criteria.maxAmountMinor))
  );
}

type RuleView = { id: string; priority: number; active: boolean; criteria: AssignmentCriteria };

/** The active rules whose criteria match the lead, in the order they are tried (priority, then id). */
export function matchingRules<R extends RuleView>(rules: readonly R[], lead: AssignableLead): R[] {
  return [...rules]
    .filter((r) => r.active && matchesCriteria(r.criteria, lead))
    .sort((a, b) => a.priority - b.priority || a.id.localeCompare(b.id));
}

/** The first active rule (by priority, then id) whose criteria match the lead. */
export function firstMatchingRule<R extends RuleView>(rules: readonly R[], lead: AssignableLead): R | undefined {
  return matchingRules(rules, lead)[0];
}

/**
 * Picks the assignee among candidate user ids (any order; sorted here so the choice is stable).
 * - round-robin: the `turn`-th candidate (turn = how many leads the rule handed out before, 0-based).
 * - least-loaded: the candidate with the fewest open leads; ties go to the earliest id.
 */
export function pickAssignee(
  candidates: readonly string[],
  strategy: AssignmentStrategy,
  turn: number,
  openLeads: ReadonlyMap<string, number> = new Map(),
): string | undefined {
  const sorted = [...new Set(candidates)].sort();
  if (sorted.length === 0) return undefined;
  if (strategy === 'round-robin') return sorted[turn % sorted.length];
  return sorted.reduce((best, id) => ((openLeads.get(id) ?? 0) < (openLeads.get(best) ?? 0) ? id : best));
}
