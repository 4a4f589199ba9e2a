/**
 * Events the Marketing context publishes: the only part of Marketing other contexts may import.
 */
export type MarketingEvents = Record<never, never>;
