import type { ValueTransformer } from 'typeorm';

/** `bigint` columns come back from `pg` as strings; money in minor units fits a JS number (< 2^53). */
export const bigintToNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? value : Number(value)),
};

/** Currency codes are ISO 4217 upper-case letters. */
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;
