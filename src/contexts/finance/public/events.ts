/**
 * Events the Finance context publishes: the only part of Finance other contexts may import.
 */
export type FinanceEvents = Record<never, never>;
