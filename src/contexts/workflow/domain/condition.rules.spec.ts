import { ANY_PATH, SUBJECT_FIELDS, conditionSpecificity, evaluateCondition, validateCondition, type Condition } from './condition.rules';

const subject = { amountMinor: 6_000_000, currency: 'EUR', attributes: { discountPct: 25, category: 'travel', urgent: true, note: null } };

describe('condition language', () => {
  it('evaluates leaves with every operator', () => {
    const holds = (c: Condition) => evaluateCondition(c, subject);
    expect(holds({ field: 'amountMinor', op: 'gte', value: 5_000_000 })).toBe(true);
    expect(holds({ field: 'amountMinor', op: 'gt', value: 6_000_000 })).toBe(false);
    expect(holds({ field: 'amountMinor', op: 'lt', value: 6_000_001 })).toBe(true);
    expect(holds({ field: 'amountMinor', op: 'lte', value: 5_999_999 })).toBe(false);
    expect(holds({ field: 'currency', op: 'eq', value: 'EUR' })).toBe(true);
    expect(holds({ field: 'currency', op: 'ne', value: 'EUR' })).toBe(false);
    expect(holds({ field: 'attributes.category', op: 'in', value: ['meals', 'travel'] })).toBe(true);
    expect(holds({ field: 'attributes.category', op: 'in', value: ['meals'] })).toBe(false);
    expect(holds({ field: 'attributes.urgent', op: 'exists' })).toBe(true);
    expect(holds({ field: 'attributes.note', op: 'exists' })).toBe(false);
    expect(holds({ field: 'attributes.missing', op: 'exists', value: false })).toBe(true);
    expect(holds({ field: 'attributes.missing', op: 'eq', value: null })).toBe(true);
  });

  it('never matches comparisons on missing or mistyped fields', () => {
    expect(evaluateCondition({ field: 'attributes.missing', op: 'gt', value: 0 }, subject)).toBe(false);
    expect(evaluateCondition({ field: 'attributes.missing', op: 'lte', value: 0 }, subject)).toBe(false);
    expect(evaluateCondition({ field: 'attributes.urgent', op: 'gt', value: 0 }, subject)).toBe(false);
    expect(evaluateCondition({ field: 'x', op: 'gt', value: 1 }, { x: '2.5' })).toBe(true);
  });

  it('does not walk into prototypes', () => {
    expect(evaluateCondition({ field: 'attributes.constructor', op: 'exists' }, subject)).toBe(false);
    expect(validateCondition({ field: 'a.__proto__', op: 'exists' }, 'c', ANY_PATH)).toHaveLength(1);
  });

  it('combines with all, any and not', () => {
    const discount = (op: 'gt' | 'lte', value: number): Condition => ({ field: 'attributes.discountPct', op, value });
    expect(evaluateCondition({ all: [discount('gt', 20), { field: 'amountMinor', op: 'gte', value: 5_000_000 }] }, subject)).toBe(true);
    expect(evaluateCondition({ all: [discount('gt', 30), { field: 'amountMinor', op: 'gte', value: 5_000_000 }] }, subject)).toBe(false);
    expect(evaluateCondition({ any: [discount('gt', 30), { field: 'currency', op: 'eq', value: 'EUR' }] }, subject)).toBe(true);
    expect(evaluateCondition({ not: discount('gt', 20) }, subject)).toBe(false);
    expect(evaluateCondition(null, subject)).toBe(true);
  });

  it('counts leaves as specificity', () => {
    expect(conditionSpecificity(null)).toBe(0);
    expect(conditionSpecificity({ field: 'a', op: 'exists' })).toBe(1);
    expect(conditionSpecificity({ all: [{ field: 'a', op: 'exists' }, { not: { any: [{ field: 'b', op: 'eq', value: 1 }, { field: 'c', op: 'eq', value: 2 }] } }] })).toBe(3);
  });

  it('validates with the path of every problem', () => {
    const errors = validateCondition(
      { all: [{ field: 'amount', op: 'gte', value: 1 }, { field: 'attributes.x', op: 'like', value: 'a' }, { field: 'currency', op: 'in', value: 'EUR' }, { any: [] }, 5] },
      'entryCriteria',
      SUBJECT_FIELDS,
    );
    expect(errors.map((e) => e.field)).toEqual([
      'entryCriteria.all[0].field',
      'entryCriteria.all[1].op',
      'entryCriteria.all[2].value',
      'entryCriteria.all[3].any',
      'entryCriteria.all[4]',
    ]);
    expect(errors[0].message).toContain('unknown field "amount"');
  });

  it('accepts valid conditions and refuses extra keys, deep nesting and wrong value types', () => {
    expect(validateCondition({ all: [{ field: 'amountMinor', op: 'gte', value: 5_000_000 }, { field: 'attributes.discountPct', op: 'gt', value: 20 }] }, 'c', SUBJECT_FIELDS)).toEqual([]);
    expect(validateCondition({ field: 'amountMinor', op: 'eq', value: 1, code: 'x' }, 'c', SUBJECT_FIELDS)[0].message).toContain('unknown keys');
    let deep: Condition = { field: 'amountMinor', op: 'exists' };
    for (let i = 0; i < 10; i++) deep = { not: deep };
    expect(validateCondition(deep, 'c', SUBJECT_FIELDS)[0].message).toContain('nest at most');
    expect(validateCondition({ field: 'amountMinor', op: 'gt', value: true }, 'c', SUBJECT_FIELDS)).toHaveLength(1);
    expect(validateCondition({ field: 'amountMinor', op: 'eq', value: { $gt: 1 } }, 'c', SUBJECT_FIELDS)).toHaveLength(1);
    expect(validateCondition({ field: 'amountMinor', op: 'exists', value: 'yes' }, 'c', SUBJECT_FIELDS)).toHaveLength(1);
  });
});
