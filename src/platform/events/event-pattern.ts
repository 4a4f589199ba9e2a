/**
 * Domain event type names: `<context>.<aggregate>.<past-tense>`, lower-case kebab segments
 * (`sales.opportunity.won`, `finance.expense-claim.approval-requested`).
 */
export const EVENT_TYPE = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/;

/**
 * Whether an event type matches a subscription pattern, with the event emitter's wildcard
 * rules: `*` is exactly one segment, `**` any number of segments (`sales.opportunity.*`,
 * `*.*.approval-requested`, `sales.**`); `{a,b}` is one segment that is one of the listed
 * names (`workflow.approval.{approved,rejected}`), so a consumer gets only the types it acts on.
 */
export function matchesPattern(pattern: string, type: string): boolean {
  return matchSegments(pattern.split('.'), 0, type.split('.'), 0);
}

function matchSegments(p: string[], i: number, t: string[], j: number): boolean {
  if (i === p.length) return j === t.length;
  if (p[i] === '**') {
    for (let k = j; k <= t.length; k++) if (matchSegments(p, i + 1, t, k)) return true;
    return false;
  }
  if (j === t.length) return false;
  return segmentMatches(p[i], t[j]) && matchSegments(p, i + 1, t, j + 1);
}

function segmentMatches(pattern: string, segment: string): boolean {
  if (pattern === '*' || pattern === segment) return true;
  return pattern.startsWith('{') && pattern.endsWith('}') && pattern.slice(1, -1).split(',').includes(segment);
}

/** Exponential backoff before attempt `attempts + 1`: base·2^(attempts−1), capped. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}
