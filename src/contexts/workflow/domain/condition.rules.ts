import type { FieldError } from '../../../platform/errors/domain-error.js';

/**
 * The condition language of process definitions (entry criteria, step conditions) and
 * automation rules: JSON data, never code. A condition is a leaf
 * `{ field, op, value }` or a group `{ all: [...] }`, `{ any: [...] }`, `{ not: cond }`.
 * Fields are dotted paths into the tested object (`amountMinor`, `attributes.discountPct`).
 */
export type ConditionOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'exists';
export type Scalar = string | number | boolean | null;

export interface LeafCondition {
  field: string;
  op: ConditionOp;
  value?: Scalar | Scalar[];
}
export type Condition = LeafCondition | { all: Condition[] } | { any: Condition[] } | { not: Condition };

export const CONDITION_OPS: readonly ConditionOp[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'exists'];
export const MAX_CONDITION_DEPTH = 8;
export const MAX_CONDITION_LEAVES = 50;
export const MAX_IN_VALUES = 100;

/** Which field paths a condition may name. */
export type FieldPolicy = (path: string) => string | null;

const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,5}$/;
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/** Fields of an approval subject (the ApprovalRequested payload) definitions may test. */
export const SUBJECT_FIELDS: FieldPolicy = (path) => {
  if (['amountMinor', 'currency', 'subjectType', 'subjectCode', 'title', 'requesterId', 'requesterOrgUnitId'].includes(path)) return null;
  if (/^attributes\.[A-Za-z_][A-Za-z0-9_]*$/.test(path)) return null;
  return 'must be amountMinor, currency, subjectType, subjectCode, title, requesterId, requesterOrgUnitId or attributes.<name>';
};

/** Any dotted path into an event payload (automation rules). */
export const ANY_PATH: FieldPolicy = () => null;

const isScalar = (v: unknown): v is Scalar => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every problem of a condition, each with the JSON path of the offending part (`entryCriteria.all[1].op`). */
export function validateCondition(input: unknown, at: string, fields: FieldPolicy): FieldError[] {
  const errors: FieldError[] = [];
  let leaves = 0;
  const walk = (node: unknown, path: string, depth: number) => {
    if (depth > MAX_CONDITION_DEPTH) {
      errors.push({ field: path, message: `conditions nest at most ${MAX_CONDITION_DEPTH} levels` });
      return;
    }
    if (!isObject(node)) {
      errors.push({ field: path, message: 'must be an object: { field, op, value } or { all | any: [...] } or { not: {...} }' });
      return;
    }
    const keys = Object.keys(node);
    for (const group of ['all', 'any'] as const) {
      if (group in node) {
        if (keys.length !== 1) errors.push({ field: path, message: `a "${group}" group has no other keys` });
        const items = node[group];
        if (!Array.isArray(items) || items.length === 0) {
          errors.push({ field: `${path}.${group}`, message: 'must be a non-empty array of conditions' });
          return;
        }
        items.forEach((item, i) => walk(item, `${path}.${group}[${i}]`, depth + 1));
        return;
      }
    }
    if ('not' in node) {
      if (keys.length !== 1) errors.push({ field: path, message: 'a "not" group has no other keys' });
      walk(node.not, `${path}.not`, depth + 1);
      return;
    }
    leaves++;
    const extra = keys.filter((k) => !['field', 'op', 'value'].includes(k));
    if (extra.length) errors.push({ field: path, message: `unknown keys: ${extra.join(', ')}` });
    const { field, op, value } = node;
    if (typeof field !== 'string' || !PATH.test(field) || field.split('.').some((s) => FORBIDDEN_SEGMENTS.has(s))) {
      errors.push({ field: `${path}.field`, message: 'must be a dotted field path such as attributes.discountPct' });
    } else {
      const problem = fields(field);
      if (problem) errors.push({ field: `${path}.field`, message: `unknown field "${field}": ${problem}` });
    }
    if (typeof op !== 'string' || !CONDITION_OPS.includes(op as ConditionOp)) {
      errors.push({ field: `${path}.op`, message: `must be one of ${CONDITION_OPS.join(', ')}` });
      return;
    }
    switch (op as ConditionOp) {
      case 'exists':
        if (value !== undefined && typeof value !== 'boolean') errors.push({ field: `${path}.value`, message: 'must be true, false or absent for exists' });
        break;
      case 'in':
        if (!Array.isArray(value) || value.length === 0 || value.length > MAX_IN_VALUES || !value.every(isScalar)) {
          errors.push({ field: `${path}.value`, message: `must be an array of 1–${MAX_IN_VALUES} scalars for in` });
        }
        break;
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        if (!(typeof value === 'number' && Number.isFinite(value)) && typeof value !== 'string') {
          errors.push({ field: `${path}.value`, message: `must be a number (or an ISO string) for ${op}` });
        }
        break;
      default:
        if (value === undefined || !isScalar(value)) errors.push({ field: `${path}.value`, message: `must be a string, number, boolean or null for ${op}` });
    }
  };
  walk(input, at, 0);
  if (leaves > MAX_CONDITION_LEAVES) errors.push({ field: at, message: `at most ${MAX_CONDITION_LEAVES} leaf conditions` });
  return errors;
}

/** Reads a dotted path from a plain object; own properties only. */
export function readPath(source: unknown, path: string): unknown {
  let current: unknown = source;
  for (const segment of path.split('.')) {
    if (!isObject(current) || !Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = current[segment];
  }
  return current;
}

function compare(actual: unknown, expected: unknown): number | null {
  if (typeof actual === 'number' && typeof expected === 'number') return actual - expected;
  if (typeof actual === 'string' && typeof expected === 'string') return actual < expected ? -1 : actual > expected ? 1 : 0;
  // Numeric strings from attributes compare as numbers.
  if (typeof actual === 'string' && typeof expected === 'number' && actual.trim() !== '' && Number.isFinite(Number(actual))) return Number(actual) - expected;
  return null;
}

/** Whether a (validated) condition holds on `subject`. Missing fields fail every comparison. */
export function evaluateCondition(condition: Condition | null | undefined, subject: unknown): boolean {
  if (!condition) return true;
  if ('all' in condition) return condition.all.every((c) => evaluateCondition(c, subject));
  if ('any' in condition) return condition.any.some((c) => evaluateCondition(c, subject));
  if ('not' in condition) return !evaluateCondition(condition.not, subject);
  const actual = readPath(subject, condition.field);
  const expected = condition.value;
  switch (condition.op) {
    case 'exists': {
      const present = actual !== undefined && actual !== null;
      return expected === false ? !present : present;
    }
    case 'eq':
      return (actual === undefined ? null : actual) === expected;
    case 'ne':
      return (actual === undefined ? null : actual) !== expected;
    case 'in':
      return Array.isArray(expected) && expected.includes((actual ?? null) as Scalar);
    default: {
      const c = compare(actual, expected);
      if (c === null) return false;
      return condition.op === 'gt' ? c > 0 : condition.op === 'gte' ? c >= 0 : condition.op === 'lt' ? c < 0 : c <= 0;
    }
  }
}

/** How specific entry criteria are: the number of leaf conditions (none → 0). */
export function conditionSpecificity(condition: Condition | null | undefined): number {
  if (!condition) return 0;
  if ('all' in condition) return condition.all.reduce((n, c) => n + conditionSpecificity(c), 0);
  if ('any' in condition) return condition.any.reduce((n, c) => n + conditionSpecificity(c), 0);
  if ('not' in condition) return conditionSpecificity(condition.not);
  return 1;
}
