import type { ValueTransformer } from 'typeorm';

/**
 * Money and counters are `bigint` in PostgreSQL; the `pg` driver returns them as strings.
 * Minor units and counts stay far below 2^53, so they are mapped to JavaScript numbers.
 */
export const bigintToNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? value : Number(value)),
};
