import { assertLimits, availableOf, costCentreStatus, crossings, warningLineFor } from './cost-centre.rules';

const f = (spentMinor: number, reservedMinor: number, capMinor = 10_000, warningLineMinor = 8_000) => ({ capMinor, warningLineMinor, spentMinor, reservedMinor });

describe('cost centre status', () => {
  it.each([
    [f(0, 0), 'ok'],
    [f(7_999, 0), 'ok'],
    [f(4_000, 4_000), 'warning'],
    [f(9_999, 0), 'warning'],
    [f(5_000, 5_000), 'exhausted'],
  ])('%j → %s', (figures, status) => expect(costCentreStatus(figures)).toBe(status));

  it('stays closed whatever the figures', () => expect(costCentreStatus(f(0, 0), true)).toBe('closed'));

  it('computes available as cap minus spent and reserved, never negative', () => {
    expect(availableOf(f(3_000, 2_000))).toBe(5_000);
    expect(availableOf(f(3_000, 2_000, 4_000, 0))).toBe(0);
  });
});

describe('crossings', () => {
  it('reports the warning line once: only the change that goes from below to at/above', () => {
    expect(crossings(f(7_990, 0), f(7_990, 10))).toEqual({ warningLineReached: true, exhausted: false });
    expect(crossings(f(8_000, 0), f(8_000, 10))).toEqual({ warningLineReached: false, exhausted: false });
  });

  it('reports both when one change jumps from ok to the cap', () => {
    expect(crossings(f(0, 0), f(0, 10_000))).toEqual({ warningLineReached: true, exhausted: true });
  });

  it('reports nothing when spending goes down', () => {
    expect(crossings(f(9_000, 1_000), f(9_000, 0))).toEqual({ warningLineReached: false, exhausted: false });
  });

  it('reports a crossing caused by lowering the warning line', () => {
    expect(crossings(f(5_000, 0), f(5_000, 0, 10_000, 5_000))).toEqual({ warningLineReached: true, exhausted: false });
  });
});

describe('limits', () => {
  it('refuses a warning line above the cap', () => {
    expect(() => assertLimits(100, 101)).toThrow(expect.objectContaining({ code: 'finance.cost-centre.warning-line-above-cap' }));
  });
  it('refuses a cap below what is committed', () => {
    expect(() => assertLimits(100, 50, 101)).toThrow(expect.objectContaining({ code: 'finance.cost-centre.cap-below-committed', status: 422 }));
    expect(() => assertLimits(101, 50, 101)).not.toThrow();
  });
  it('derives a default warning line from a percentage', () => expect(warningLineFor(10_001, 80)).toBe(8_000));
});
