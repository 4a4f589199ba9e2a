import { DomainError } from '../../../platform/errors/domain-error.js';

/** Fields whose value differs between `before` and the requested `changes` (deep for arrays/objects). */
export function changedFields<T extends object>(before: T, changes: Partial<T>): Array<keyof T & string> {
  return (Object.keys(changes) as Array<keyof T & string>).filter(
    (key) => changes[key] !== undefined && JSON.stringify(normalize(before[key])) !== JSON.stringify(normalize(changes[key])),
  );
}

const normalize = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

/** PATCH may clear optional fields with null, never required ones: 400 listing each. */
export function refuseNulls(changes: object, required: readonly string[]): void {
  const errors = required
    .filter((field) => (changes as Record<string, unknown>)[field] === null)
    .map((field) => ({ field, message: `${field} cannot be null` }));
  if (errors.length) {
    throw new DomainError('invalid', 'validation-failed', `The request has ${errors.length} invalid field${errors.length === 1 ? '' : 's'}`, {}, errors);
  }
}

/** Plain copy of an entity's columns for audit entries (drops internal search/duplicate keys). */
export function snapshot<T extends object>(entity: T): Record<string, unknown> {
  const { searchText: _s, nameKey: _n, emailKey: _e, phoneKey: _p, mobileKey: _m, ...rest } = entity as Record<string, unknown>;
  return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, normalize(v)]));
}

/**
 * The fields a request actually carried: validated DTO instances have every declared property,
 * absent ones `undefined`, which must not override defaults when spread.
 */
export function present<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;
}
