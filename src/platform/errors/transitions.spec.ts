import { assertAllowed, assertTransition, canTransition, sourcesOf, type Transitions } from './transitions';

type Light = 'red' | 'green' | 'amber' | 'off';
const LIGHT: Transitions<Light> = { red: ['green', 'off'], green: ['amber', 'off'], amber: ['red', 'off'], off: [] };

describe('state machine helper', () => {
  it('allows the moves of the table', () => {
    expect(canTransition(LIGHT, 'red', 'green')).toBe(true);
    expect(canTransition(LIGHT, 'red', 'amber')).toBe(false);
    expect(() => assertTransition(LIGHT, 'light.illegal-transition', 'green', 'amber')).not.toThrow();
  });

  it('refuses the others with the 409 of the given code, naming from, to and the allowed moves', () => {
    expect(() => assertTransition(LIGHT, 'light.illegal-transition', 'red', 'amber')).toThrow(
      expect.objectContaining({ status: 409, code: 'light.illegal-transition', detail: 'Cannot go from "red" to "amber"; allowed: green, off', extras: { from: 'red', to: 'amber', allowed: ['green', 'off'] } }),
    );
    expect(() => assertTransition(LIGHT, 'light.illegal-transition', 'off', 'red')).toThrow(/allowed: none/);
    expect(() => assertAllowed(['b'], 'x.illegal', 'a', 'c')).toThrow(expect.objectContaining({ status: 409, code: 'x.illegal' }));
  });

  it('lists the states that lead to one, in table order', () => {
    expect(sourcesOf(LIGHT, 'off')).toEqual(['red', 'green', 'amber']);
    expect(sourcesOf(LIGHT, 'red')).toEqual(['amber']);
  });
});
