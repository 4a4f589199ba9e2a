/**
 * Events the Service context publishes: the only part of Service other contexts may import.
 */
export type ServiceEvents = Record<never, never>;
