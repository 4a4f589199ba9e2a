import { advanceSourcesOf, assertAdvanceTransition } from './advance.rules';

describe('advance transitions', () => {
  it.each([
    ['draft', 'submitted'],
    ['submitted', 'approved'],
    ['submitted', 'rejected'],
    ['submitted', 'recalled'],
    ['approved', 'paid'],
    ['recalled', 'submitted'],
  ] as const)('allows %s → %s', (from, to) => expect(() => assertAdvanceTransition(from, to)).not.toThrow());

  it.each([
    ['draft', 'paid'],
    ['submitted', 'paid'],
    ['paid', 'paid'],
    ['rejected', 'approved'],
  ] as const)('refuses %s → %s with 409', (from, to) =>
    expect(() => assertAdvanceTransition(from, to)).toThrow(expect.objectContaining({ status: 409, code: 'finance.advance.illegal-transition' })));

  it('pays only approved advances', () => expect(advanceSourcesOf('paid')).toEqual(['approved']));
});
