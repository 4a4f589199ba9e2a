/**
 * Events the Workflow context publishes: the only part of Workflow other contexts may import.
 */
export type WorkflowEvents = Record<never, never>;
