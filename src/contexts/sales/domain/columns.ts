import type { ValueTransformer } from 'typeorm';

/**
 * Money and counters are `bigint` in PostgreSQL; the `pg` driver returns them as strings.
 * Minor units stay far below 2^53, so they are mapped to JavaScript numbers.
 */
export const bigintToNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null || value === undefined ? null : Number(value)),
};

/** Column options of a money amount in minor units. */
export const MONEY = { type: 'bigint', transformer: bigintToNumber } as const;

/** `date` columns travel as `YYYY-MM-DD` strings (no time zone shift). */
export const DATE_ONLY = { type: 'date' } as const;
