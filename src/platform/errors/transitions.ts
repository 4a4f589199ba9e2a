import { IllegalTransitionError } from './domain-error.js';

/**
 * A state machine: for each state, the states it may move to (none: the state is final). Every
 * status life cycle declares one and checks its moves with {@link assertTransition}.
 */
export type Transitions<S extends string> = Readonly<Record<S, readonly S[]>>;

/** Whether the machine allows `from → to`. */
export const canTransition = <S extends string>(table: Transitions<S>, from: S, to: S): boolean => table[from].includes(to);

/**
 * Throws the 409 {@link IllegalTransitionError} `code` (members `from`, `to`, `allowed`) unless
 * `to` is among `allowed` — for moves whose allowed targets are computed (e.g. the stages of a
 * sales method) rather than read from a {@link Transitions} table.
 */
export function assertAllowed(allowed: readonly string[], code: string, from: string, to: string): void {
  if (!allowed.includes(to)) throw new IllegalTransitionError(code, from, to, allowed);
}

/** Throws the 409 `code` unless the machine allows `from → to`; `allowed` lists the moves open from `from`. */
export function assertTransition<S extends string>(table: Transitions<S>, code: string, from: S, to: S): void {
  assertAllowed(table[from], code, from, to);
}

/** The states that may move to `to`, in the table's order (for conditional UPDATEs: `status = ANY(…)`). */
export const sourcesOf = <S extends string>(table: Transitions<S>, to: S): S[] => (Object.keys(table) as S[]).filter((s) => table[s].includes(to));
