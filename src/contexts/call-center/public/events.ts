/**
 * Events the CallCenter context publishes: the only part of CallCenter other contexts may import.
 */
export type CallCenterEvents = Record<never, never>;
