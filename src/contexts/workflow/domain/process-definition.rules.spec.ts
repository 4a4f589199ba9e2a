import { addIsoDuration, parseIsoDuration, planSteps, selectDefinition, validateDefinitionContent, type StepDefinition } from './process-definition.rules';

const step = (over: Partial<StepDefinition> = {}): StepDefinition => ({ name: 's', condition: null, approver: { type: 'manager' }, mode: 'any', timeout: null, ...over });

describe('ISO 8601 durations', () => {
  it('parses and adds', () => {
    expect(parseIsoDuration('PT48H')).toEqual({ years: 0, months: 0, ms: 48 * 3600_000 });
    expect(parseIsoDuration('P1W2DT3M4.5S')).toEqual({ years: 0, months: 0, ms: 9 * 86400_000 + 3 * 60_000 + 4500 });
    for (const bad of ['P', 'PT', '48H', 'PT0S', 'P1H', 'PT-1H', '']) expect(parseIsoDuration(bad)).toBeNull();
    expect(addIsoDuration(new Date('2026-01-31T10:00:00Z'), 'P1M').toISOString()).toBe('2026-03-03T10:00:00.000Z');
    expect(addIsoDuration(new Date('2026-01-01T00:00:00Z'), 'PT48H').toISOString()).toBe('2026-01-03T00:00:00.000Z');
  });
});

describe('definition validation', () => {
  it('accepts a valid definition', () => {
    expect(
      validateDefinitionContent({
        entryCriteria: { field: 'attributes.discountPct', op: 'gt', value: 10 },
        steps: [
          { name: 'manager', approver: { type: 'manager' }, mode: 'any', timeout: { after: 'PT48H', action: 'escalate' } },
          { name: 'director', condition: { field: 'attributes.discountPct', op: 'gt', value: 20 }, approver: { type: 'role', roleKey: 'director' }, mode: 'all' },
          { name: 'two up', approver: { type: 'manager-level', levels: 2 }, mode: 'any' },
          { name: 'head', approver: { type: 'org-unit-head', orgUnitId: '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d' }, mode: 'any' },
          { name: 'named', approver: { type: 'user', userId: '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d' }, mode: 'any' },
        ],
      }),
    ).toEqual([]);
  });

  it('lists every problem with its path', () => {
    const errors = validateDefinitionContent({
      entryCriteria: { field: 'discountPct', op: 'gt', value: 10 },
      steps: [
        { name: 'a', approver: { type: 'boss' }, mode: 'any' },
        { name: 'b', approver: { type: 'manager-level', levels: 0 }, timeout: { after: '2 days', action: 'panic' } },
        { name: 'c', approver: { type: 'user', userId: 'bob' }, condition: { field: 'attributes.x', op: 'gt' } },
      ],
    });
    expect(errors.map((e) => e.field)).toEqual([
      'entryCriteria.field',
      'steps[0].approver.type',
      'steps[1].approver.levels',
      'steps[1].timeout.after',
      'steps[1].timeout.action',
      'steps[2].condition.value',
      'steps[2].approver.userId',
    ]);
    expect(validateDefinitionContent({ steps: [] })).toEqual([{ field: 'steps', message: expect.any(String) }]);
  });
});

describe('definition selection', () => {
  const c = (key: string, entryCriteria: unknown, createdAt = '2026-01-01') => ({ definitionId: key, key, version: 1, entryCriteria: entryCriteria as never, createdAt: new Date(createdAt) });

  it('picks the most specific matching definition, none when nothing matches', () => {
    const generic = c('generic', null);
    const big = c('big', { field: 'amountMinor', op: 'gte', value: 100 });
    const bigTravel = c('big-travel', { all: [{ field: 'amountMinor', op: 'gte', value: 100 }, { field: 'attributes.category', op: 'eq', value: 'travel' }] });
    const all = [generic, bigTravel, big];
    expect(selectDefinition(all, { amountMinor: 500, attributes: { category: 'travel' } })?.key).toBe('big-travel');
    expect(selectDefinition(all, { amountMinor: 500, attributes: { category: 'meals' } })?.key).toBe('big');
    expect(selectDefinition(all, { amountMinor: 5, attributes: {} })?.key).toBe('generic');
    expect(selectDefinition([big], { amountMinor: 5 })).toBeNull();
  });

  it('breaks ties by the newest definition', () => {
    const older = c('older', { field: 'amountMinor', op: 'gte', value: 1 }, '2026-01-01');
    const newer = c('newer', { field: 'amountMinor', op: 'gte', value: 2 }, '2026-02-01');
    expect(selectDefinition([newer, older], { amountMinor: 5 })?.key).toBe('newer');
    expect(selectDefinition([older, newer], { amountMinor: 5 })?.key).toBe('newer');
  });

  it('plans which steps apply', () => {
    const steps = [step({ name: 'm' }), step({ name: 'd', condition: { field: 'attributes.discountPct', op: 'gt', value: 20 } })];
    expect(planSteps(steps, { attributes: { discountPct: 15 } }).map((s) => s.applies)).toEqual([true, false]);
    expect(planSteps(steps, { attributes: { discountPct: 25 } }).map((s) => s.applies)).toEqual([true, true]);
  });
});
