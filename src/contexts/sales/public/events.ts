/**
 * Events the Sales context publishes: the only part of Sales other contexts may import.
 */
export type SalesEvents = Record<never, never>;
