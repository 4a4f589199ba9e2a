import { validateStages, type StageDefinition } from './sales-method.rules';
import { allowedStageMoves, assertClose, assertReopen, assertStageMove, daysBetween, firstStage, weightedAmount, type MethodView } from './opportunity-stage.rules';

const stages: StageDefinition[] = [
  { key: 'qualify', name: 'Qualify', order: 1, probability: 10, terminal: null },
  { key: 'propose', name: 'Propose', order: 2, probability: 40, terminal: null },
  { key: 'negotiate', name: 'Negotiate', order: 3, probability: 70, terminal: null },
  { key: 'won', name: 'Won', order: 9, probability: 100, terminal: 'won' },
  { key: 'lost', name: 'Lost', order: 10, probability: 0, terminal: 'lost' },
];
const loose: MethodView = { strictOrder: false, stages };
const strict: MethodView = { strictOrder: true, stages };

describe('sales method stages', () => {
  it('accepts a well-formed method and sorts its stages', () => {
    expect(validateStages([...stages].reverse()).map((s) => s.key)).toEqual(['qualify', 'propose', 'negotiate', 'won', 'lost']);
  });

  it('lists every problem of a malformed method', () => {
    try {
      validateStages([
        { key: 'a', name: 'A', order: 1, probability: 10, terminal: null },
        { key: 'a', name: 'A2', order: 1, probability: 10, terminal: null },
        { key: 'w', name: 'W', order: 3, probability: 90, terminal: 'won' },
      ]);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toMatchObject({ status: 400, code: 'validation-failed' });
      const fields = (error as { errors: { field: string }[] }).errors.map((e) => e.field);
      expect(fields).toEqual(['stages[1].key', 'stages[1].order', 'stages[2].probability', 'stages']);
    }
  });
});

describe('opportunity stage rules', () => {
  it('starts at the first open stage', () => {
    expect(firstStage(loose).key).toBe('qualify');
  });

  it('moves to any other open stage on a loose method, never to a terminal one', () => {
    expect(allowedStageMoves(loose, 'qualify')).toEqual(['propose', 'negotiate']);
    expect(assertStageMove(loose, 'open', 'qualify', 'negotiate').probability).toBe(70);
    expect(() => assertStageMove(loose, 'open', 'qualify', 'won')).toThrow(expect.objectContaining({ code: 'sales.opportunity.terminal-stage-needs-outcome' }));
    expect(() => assertStageMove(loose, 'open', 'qualify', 'qualify')).toThrow(expect.objectContaining({ code: 'sales.opportunity.illegal-stage-transition' }));
    expect(() => assertStageMove(loose, 'open', 'qualify', 'nope')).toThrow(expect.objectContaining({ code: 'sales.opportunity.unknown-stage', status: 422 }));
  });

  it('on a strict method moves forward one stage at a time and back freely', () => {
    expect(allowedStageMoves(strict, 'qualify')).toEqual(['propose']);
    expect(allowedStageMoves(strict, 'negotiate')).toEqual(['qualify', 'propose']);
    expect(() => assertStageMove(strict, 'open', 'qualify', 'negotiate')).toThrow(
      expect.objectContaining({ status: 409, code: 'sales.opportunity.illegal-stage-transition', extras: expect.objectContaining({ allowed: ['propose'] }) }),
    );
  });

  it('on a strict method wins only from the last open stage (no skipped stages); loses from any', () => {
    expect(() => assertClose(strict, 'open', 'won', 'qualify')).toThrow(
      expect.objectContaining({ status: 409, code: 'sales.opportunity.illegal-stage-transition', extras: expect.objectContaining({ from: 'qualify', to: 'won', allowed: ['propose'] }) }),
    );
    expect(() => assertClose(strict, 'open', 'won', 'propose')).toThrow(expect.objectContaining({ code: 'sales.opportunity.illegal-stage-transition' }));
    expect(assertClose(strict, 'open', 'won', 'negotiate').key).toBe('won');
    expect(assertClose(strict, 'open', 'lost', 'qualify').key).toBe('lost');
    expect(assertClose(loose, 'open', 'won', 'qualify').key).toBe('won');
  });

  it('closes only open opportunities and reopens only lost ones', () => {
    expect(assertClose(loose, 'open', 'won', 'qualify').key).toBe('won');
    expect(assertClose(loose, 'open', 'lost', 'qualify').key).toBe('lost');
    expect(() => assertClose(loose, 'won', 'lost', 'won')).toThrow(expect.objectContaining({ code: 'sales.opportunity.closed' }));
    expect(() => assertStageMove(loose, 'lost', 'lost', 'qualify')).toThrow(expect.objectContaining({ code: 'sales.opportunity.closed' }));
    expect(assertReopen(loose, 'lost', 'propose').key).toBe('propose');
    expect(assertReopen(loose, 'lost', null).key).toBe('qualify');
    expect(assertReopen(loose, 'lost', 'propose', 'negotiate').key).toBe('negotiate');
    expect(() => assertReopen(loose, 'won', 'propose')).toThrow(expect.objectContaining({ code: 'sales.opportunity.not-lost' }));
    expect(() => assertReopen(loose, 'lost', null, 'won')).toThrow(expect.objectContaining({ code: 'sales.opportunity.illegal-stage-transition' }));
  });

  it('computes days in stage and weighted amounts', () => {
    expect(daysBetween(new Date('2026-01-01T00:00:00Z'), new Date('2026-01-03T12:00:00Z'))).toBe(2.5);
    expect(weightedAmount(10_001, 50)).toBe(5001);
  });
});
