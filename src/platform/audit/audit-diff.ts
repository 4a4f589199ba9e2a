/** Keys never written to the audit log, at any depth. */
export const SECRET_KEY = /password|secret|token|hash/i;
/** Bookkeeping columns every write changes; the entry's own time and id say it already. */
const IGNORED = new Set(['version', 'updatedAt', 'createdAt']);

export type AuditChanges = Record<string, { before?: unknown; after?: unknown }>;

function normalize(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (Buffer.isBuffer(value)) return undefined;
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      if (SECRET_KEY.test(key)) continue;
      const v = normalize((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  return value;
}

/**
 * The field diff of a change: on create every set field (`after`), on delete every field
 * (`before`), on update only the fields whose value changed (`before` and `after`). Keys
 * matching {@link SECRET_KEY} are dropped at every depth; values are JSON-normalised (dates as
 * ISO strings).
 */
export function auditDiff(before: Record<string, unknown> | null | undefined, after: Record<string, unknown> | null | undefined): AuditChanges {
  const b = (normalize(before ?? {}) ?? {}) as Record<string, unknown>;
  const a = (normalize(after ?? {}) ?? {}) as Record<string, unknown>;
  const changes: AuditChanges = {};
  for (const key of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort()) {
    if (IGNORED.has(key)) continue;
    const hasBefore = before != null && key in b;
    const hasAfter = after != null && key in a;
    if (hasBefore && hasAfter) {
      if (JSON.stringify(b[key]) !== JSON.stringify(a[key])) changes[key] = { before: b[key], after: a[key] };
    } else if (hasAfter) {
      if (a[key] !== null || before != null) changes[key] = before != null ? { before: null, after: a[key] } : { after: a[key] };
    } else if (hasBefore) {
      changes[key] = after != null ? { before: b[key], after: null } : { before: b[key] };
    }
  }
  return changes;
}

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

/**
 * The `before`/`after` pair of an audit entry for one change: the named `fields` of both records
 * — or, without a list, the fields of `after` whose value is not the same in `before` — with
 * dates as ISO strings. {@link auditDiff} then keeps only what really changed.
 */
export function auditChange<T extends object>(
  before: T,
  after: T,
  fields?: ReadonlyArray<keyof T & string>,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const keys = fields ?? (Object.keys(after) as Array<keyof T & string>).filter((k) => iso(before[k]) !== iso(after[k]));
  return { before: Object.fromEntries(keys.map((k) => [k, iso(before[k])])), after: Object.fromEntries(keys.map((k) => [k, iso(after[k])])) };
}

/** Types a DTO or entity as the plain field map `AuditLog.record` takes. */
export const auditable = (value: object | null | undefined): Record<string, unknown> | null => (value ?? null) as Record<string, unknown> | null;
