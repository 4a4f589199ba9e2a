/**
 * Events the Analytics context publishes: the only part of Analytics other contexts may import.
 */
export type AnalyticsEvents = Record<never, never>;
