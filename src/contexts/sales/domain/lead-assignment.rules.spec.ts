import { firstMatchingRule, matchesCriteria, matchingRules, pickAssignee, type AssignableLead } from './lead-assignment.rules';

const lead = (over: Partial<AssignableLead> = {}): AssignableLead => ({
  region: 'EMEA', industry: 'Retail', source: 'web-form', productInterest: 'CRM', estimatedAmountMinor: 50_000, ...over,
});

describe('assignment criteria', () => {
  it('matches when every present criterion matches, case-insensitively', () => {
    expect(matchesCriteria({}, lead())).toBe(true);
    expect(matchesCriteria({ regions: ['emea', 'apac'], industries: ['RETAIL'] }, lead())).toBe(true);
    expect(matchesCriteria({ regions: ['APAC'] }, lead())).toBe(false);
    expect(matchesCriteria({ regions: ['EMEA'] }, lead({ region: null }))).toBe(false);
  });

  it('bounds the amount on both sides; unknown amounts do not match a bound', () => {
    expect(matchesCriteria({ minAmountMinor: 50_000, maxAmountMinor: 60_000 }, lead())).toBe(true);
    expect(matchesCriteria({ minAmountMinor: 50_001 }, lead())).toBe(false);
    expect(matchesCriteria({ maxAmountMinor: 49_999 }, lead())).toBe(false);
    expect(matchesCriteria({ minAmountMinor: 1 }, lead({ estimatedAmountMinor: null }))).toBe(false);
  });

  it('takes the first active rule by priority', () => {
    const rules = [
      { id: 'c', priority: 30, active: true, criteria: {} },
      { id: 'a', priority: 10, active: false, criteria: {} },
      { id: 'b', priority: 20, active: true, criteria: { sources: ['campaign'] } },
      { id: 'd', priority: 25, active: true, criteria: { sources: ['web-form'] } },
    ];
    expect(firstMatchingRule(rules, lead())?.id).toBe('d');
    expect(firstMatchingRule(rules, lead({ source: 'campaign' }))?.id).toBe('b');
    expect(firstMatchingRule([], lead())).toBeUndefined();
  });

  it('lists every matching active rule in the order they are tried (the next one decides when the first is gone)', () => {
    const rules = [
      { id: 'c', priority: 30, active: true, criteria: {} },
      { id: 'a', priority: 10, active: false, criteria: {} },
      { id: 'e', priority: 25, active: true, criteria: {} },
      { id: 'b', priority: 20, active: true, criteria: { sources: ['campaign'] } },
      { id: 'd', priority: 25, active: true, criteria: { sources: ['web-form'] } },
    ];
    expect(matchingRules(rules, lead()).map((r) => r.id)).toEqual(['d', 'e', 'c']);
    expect(matchingRules(rules, lead({ source: 'campaign' })).map((r) => r.id)).toEqual(['b', 'e', 'c']);
  });
});

describe('picking the assignee', () => {
  it('round-robin deals leads evenly: 3 reps × 30 leads → 10 each, in a fixed order', () => {
    const reps = ['u3', 'u1', 'u2'];
    const counts = new Map<string, number>();
    const order: string[] = [];
    for (let turn = 0; turn < 30; turn++) {
      const id = pickAssignee(reps, 'round-robin', turn)!;
      counts.set(id, (counts.get(id) ?? 0) + 1);
      order.push(id);
    }
    expect([...counts.values()]).toEqual([10, 10, 10]);
    expect(order.slice(0, 4)).toEqual(['u1', 'u2', 'u3', 'u1']);
  });

  it('least-loaded picks the rep with the fewest open leads, ties to the earliest id', () => {
    expect(pickAssignee(['u1', 'u2', 'u3'], 'least-loaded', 0, new Map([['u1', 4], ['u2', 1], ['u3', 1]]))).toBe('u2');
    expect(pickAssignee(['u1', 'u2'], 'least-loaded', 0, new Map([['u1', 3]]))).toBe('u2');
  });

  it('has no assignee without candidates', () => {
    expect(pickAssignee([], 'round-robin', 5)).toBeUndefined();
  });
});
