/**
 * Events the Sales context publishes, and the events from other contexts it accepts: the only
 * part of Sales other contexts may import. Payloads carry ids and scalars, never entities.
 * Money is `amountMinor` (integer minor units) + `currency` (ISO 4217).
 */
import type { EventDeclaration } from '../../../platform/events/domain-event.js';

export interface AccountCreated {
  accountId: string;
  name: string;
  type: string;
  ownerId: string;
  orgUnitId: string | null;
  parentAccountId: string | null;
  externalId: string | null;
}
export interface AccountUpdated {
  accountId: string;
  /** Names of the fields that changed. */
  changed: string[];
  ownerId: string;
}
export interface AccountDeleted {
  accountId: string;
}
export interface ContactCreated {
  contactId: string;
  accountId: string;
  firstName: string | null;
  lastName: string;
  email: string | null;
  phone: string | null;
  mobile: string | null;
  ownerId: string;
}
export interface ContactUpdated {
  contactId: string;
  accountId: string;
  changed: string[];
  email: string | null;
  phone: string | null;
  mobile: string | null;
}
export interface ContactDeleted {
  contactId: string;
  accountId: string;
}
export interface LeadCreated {
  leadId: string;
  source: string;
  company: string | null;
  email: string | null;
  ownerId: string | null;
  campaignId: string | null;
}
export interface LeadAssigned {
  leadId: string;
  ownerId: string;
  previousOwnerId: string | null;
  /** How: `manual`, `rule` (assignment rule), `claim` (from the pool). */
  via: 'manual' | 'rule' | 'claim';
  ruleId: string | null;
}
export interface LeadReleased {
  leadId: string;
  previousOwnerId: string;
  /** `manual` (POST …/release) or `inactivity` (scheduled return to the pool). */
  reason: 'manual' | 'inactivity';
}
export interface LeadQualified {
  leadId: string;
  ownerId: string | null;
}
export interface LeadDisqualified {
  leadId: string;
  reason: string;
}
export interface LeadConverted {
  leadId: string;
  accountId: string;
  contactId: string;
  opportunityId: string | null;
  /** true when the lead was attached to an existing account. */
  existingAccount: boolean;
  campaignId: string | null;
}
export interface OpportunityCreated {
  opportunityId: string;
  accountId: string;
  name: string;
  amountMinor: number;
  currency: string;
  salesMethodId: string;
  stageKey: string;
  probability: number;
  closeDate: string;
  ownerId: string;
  orgUnitId: string | null;
  leadId: string | null;
  campaignId: string | null;
}
export interface OpportunityUpdated {
  opportunityId: string;
  changed: string[];
  amountMinor: number;
  currency: string;
  closeDate: string;
  ownerId: string;
}
export interface OpportunityStageChanged {
  opportunityId: string;
  fromStageKey: string;
  toStageKey: string;
  probability: number;
  daysInStage: number;
}
export interface OpportunityWon {
  opportunityId: string;
  accountId: string;
  amountMinor: number;
  currency: string;
  ownerId: string;
  campaignId: string | null;
  closedAt: string;
}
export interface OpportunityLost {
  opportunityId: string;
  accountId: string;
  amountMinor: number;
  currency: string;
  ownerId: string;
  reason: string;
  closedAt: string;
}
export interface OpportunityReopened {
  opportunityId: string;
  stageKey: string;
}
export interface ActivityCreated {
  activityId: string;
  type: string;
  subject: string;
  ownerId: string;
  startAt: string;
  endAt: string | null;
  relatedType: string | null;
  relatedId: string | null;
  accountId: string | null;
}
export interface ActivityCompleted {
  activityId: string;
  type: string;
  ownerId: string;
  outcome: string | null;
  relatedType: string | null;
  relatedId: string | null;
  accountId: string | null;
  completedAt: string;
}
export interface ActivityReminderDue {
  activityId: string;
  ownerId: string;
  subject: string;
  startAt: string;
  reminderAt: string;
}
export interface OwnershipTransferred {
  transferId: string;
  fromUserId: string;
  toUserId: string;
  accounts: number;
  contacts: number;
  leads: number;
  opportunities: number;
  activities: number;
}

/** Every event type Sales publishes → its payload. */
export interface SalesEvents {
  'sales.account.created': AccountCreated;
  'sales.account.updated': AccountUpdated;
  'sales.account.deleted': AccountDeleted;
  'sales.contact.created': ContactCreated;
  'sales.contact.updated': ContactUpdated;
  'sales.contact.deleted': ContactDeleted;
  'sales.lead.created': LeadCreated;
  'sales.lead.assigned': LeadAssigned;
  'sales.lead.released': LeadReleased;
  'sales.lead.qualified': LeadQualified;
  'sales.lead.disqualified': LeadDisqualified;
  'sales.lead.converted': LeadConverted;
  'sales.opportunity.created': OpportunityCreated;
  'sales.opportunity.updated': OpportunityUpdated;
  'sales.opportunity.stage-changed': OpportunityStageChanged;
  'sales.opportunity.won': OpportunityWon;
  'sales.opportunity.lost': OpportunityLost;
  'sales.opportunity.reopened': OpportunityReopened;
  'sales.activity.created': ActivityCreated;
  'sales.activity.completed': ActivityCompleted;
  'sales.activity.reminder-due': ActivityReminderDue;
  'sales.ownership-transfer.completed': OwnershipTransferred;
}
export type SalesEventType = keyof SalesEvents;

const ids = (...names: string[]) => Object.fromEntries(names.map((n) => [n, 'uuid']));

export const SALES_EVENT_CATALOG: EventDeclaration[] = [
  { type: 'sales.account.created', description: 'An account was created', payload: { ...ids('accountId', 'ownerId'), name: 'string', type: 'customer|prospect|partner|competitor', orgUnitId: 'uuid|null', parentAccountId: 'uuid|null', externalId: 'string|null' } },
  { type: 'sales.account.updated', description: 'An account changed (fields named in `changed`)', payload: { ...ids('accountId', 'ownerId'), changed: 'string[] — changed field names' } },
  { type: 'sales.account.deleted', description: 'An account was deleted', payload: ids('accountId') },
  { type: 'sales.contact.created', description: 'A contact was created', payload: { ...ids('contactId', 'accountId', 'ownerId'), firstName: 'string|null', lastName: 'string', email: 'string|null', phone: 'string|null', mobile: 'string|null' } },
  { type: 'sales.contact.updated', description: 'A contact changed; carries the current reachability data', payload: { ...ids('contactId', 'accountId'), changed: 'string[]', email: 'string|null', phone: 'string|null', mobile: 'string|null' } },
  { type: 'sales.contact.deleted', description: 'A contact was deleted', payload: ids('contactId', 'accountId') },
  { type: 'sales.lead.created', description: 'A lead was created (manually, web form, campaign response, import)', payload: { leadId: 'uuid', source: 'string', company: 'string|null', email: 'string|null', ownerId: 'uuid|null', campaignId: 'uuid|null' } },
  { type: 'sales.lead.assigned', description: 'A lead got an owner (manual, rule or pool claim)', payload: { ...ids('leadId', 'ownerId'), previousOwnerId: 'uuid|null', via: 'manual|rule|claim', ruleId: 'uuid|null' } },
  { type: 'sales.lead.released', description: 'A lead went back to the pool', payload: { ...ids('leadId', 'previousOwnerId'), reason: 'manual|inactivity' } },
  { type: 'sales.lead.qualified', description: 'A lead was qualified', payload: { leadId: 'uuid', ownerId: 'uuid|null' } },
  { type: 'sales.lead.disqualified', description: 'A lead was disqualified', payload: { leadId: 'uuid', reason: 'string' } },
  { type: 'sales.lead.converted', description: 'A lead became account + contact (+ opportunity)', payload: { ...ids('leadId', 'accountId', 'contactId'), opportunityId: 'uuid|null', existingAccount: 'boolean', campaignId: 'uuid|null' } },
  { type: 'sales.opportunity.created', description: 'An opportunity was created', payload: { ...ids('opportunityId', 'accountId', 'salesMethodId', 'ownerId'), name: 'string', amountMinor: 'integer', currency: 'ISO 4217', stageKey: 'string', probability: 'integer 0–100', closeDate: 'YYYY-MM-DD', orgUnitId: 'uuid|null', leadId: 'uuid|null', campaignId: 'uuid|null' } },
  { type: 'sales.opportunity.updated', description: 'An opportunity’s fields changed', payload: { ...ids('opportunityId', 'ownerId'), changed: 'string[]', amountMinor: 'integer', currency: 'ISO 4217', closeDate: 'YYYY-MM-DD' } },
  { type: 'sales.opportunity.stage-changed', description: 'An open opportunity moved to another open stage', payload: { opportunityId: 'uuid', fromStageKey: 'string', toStageKey: 'string', probability: 'integer', daysInStage: 'number' } },
  { type: 'sales.opportunity.won', description: 'An opportunity was won', payload: { ...ids('opportunityId', 'accountId', 'ownerId'), amountMinor: 'integer', currency: 'ISO 4217', campaignId: 'uuid|null', closedAt: 'ISO 8601' } },
  { type: 'sales.opportunity.lost', description: 'An opportunity was lost', payload: { ...ids('opportunityId', 'accountId', 'ownerId'), amountMinor: 'integer', currency: 'ISO 4217', reason: 'string', closedAt: 'ISO 8601' } },
  { type: 'sales.opportunity.reopened', description: 'A lost opportunity was reopened', payload: { opportunityId: 'uuid', stageKey: 'string' } },
  { type: 'sales.activity.created', description: 'An activity was booked or logged', payload: { ...ids('activityId', 'ownerId'), type: 'call|meeting|visit|email|demo|task', subject: 'string', startAt: 'ISO 8601', endAt: 'ISO 8601|null', relatedType: 'string|null', relatedId: 'uuid|null', accountId: 'uuid|null' } },
  { type: 'sales.activity.completed', description: 'An activity was completed with an outcome', payload: { ...ids('activityId', 'ownerId'), type: 'string', outcome: 'string|null', relatedType: 'string|null', relatedId: 'uuid|null', accountId: 'uuid|null', completedAt: 'ISO 8601' } },
  { type: 'sales.activity.reminder-due', description: 'An activity’s reminder time has come (published once)', payload: { ...ids('activityId', 'ownerId'), subject: 'string', startAt: 'ISO 8601', reminderAt: 'ISO 8601' } },
  { type: 'sales.ownership-transfer.completed', description: 'A user’s accounts, contacts, leads, open opportunities and open activities moved to another user', payload: { ...ids('transferId', 'fromUserId', 'toUserId'), accounts: 'integer', contacts: 'integer', leads: 'integer', opportunities: 'integer', activities: 'integer' } },
];

// ---------------------------------------------------------------------------------------------
// Events Sales consumes. Until their publishers exist, Sales declares what it accepts.

/** `marketing.campaign-response.received` → Sales creates a lead (source `campaign`). */
export const CAMPAIGN_RESPONSE_RECEIVED = 'marketing.campaign-response.received';
export interface CampaignResponseReceived {
  responseId: string;
  campaignId: string;
  company?: string | null;
  firstName?: string | null;
  /** Required: a lead needs at least a last name (or the email is used). */
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  industry?: string | null;
  region?: string | null;
  productInterest?: string | null;
  estimatedAmountMinor?: number | null;
  currency?: string | null;
  notes?: string | null;
  /** For the customer 360 (optional): the account and contact that responded, if Marketing knows them; else Sales matches the email. */
  accountId?: string | null;
  contactId?: string | null;
  campaignName?: string | null;
  /** inquiry, registration, download, call, … */
  responseType?: string | null;
  /** ISO 8601; defaults to the event's time. */
  respondedAt?: string | null;
}

/** `workflow.automation.opportunity-requested` → Sales creates an opportunity on the default sales method. */
export const AUTOMATION_OPPORTUNITY_REQUESTED = 'workflow.automation.opportunity-requested';
export interface AutomationOpportunityRequested {
  accountId: string;
  name: string;
  amountMinor: number;
  currency: string;
  /** Defaults to the account's owner. */
  ownerId?: string | null;
  /** The event that triggered the automation (for tracing; idempotency uses this event's id). */
  sourceEventId: string;
}
