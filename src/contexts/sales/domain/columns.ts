import { bigintToNumber } from '../../../platform/database/column-types.js';

/** Column options of a money amount in minor units. */
export const MONEY = { type: 'bigint', transformer: bigintToNumber } as const;

/** `date` columns travel as `YYYY-MM-DD` strings (no time zone shift). */
export const DATE_ONLY = { type: 'date' } as const;
