/**
 * Events of other contexts that Sales accepts to keep its customer-touch read model (the
 * service tickets, calls and campaign responses the customer 360 shows). Their publishers do
 * not exist yet: these are the contracts they must meet. Payloads carry ids and scalars;
 * times are ISO 8601 UTC. Campaign responses use `CAMPAIGN_RESPONSE_RECEIVED` from `./events.js`.
 */

/** Service: a ticket (service request) was opened for an account. */
export const SERVICE_TICKET_OPENED = 'service.ticket.opened';
/** Service: a ticket was closed (resolved and closed, or cancelled). */
export const SERVICE_TICKET_CLOSED = 'service.ticket.closed';
/** Service: a closed ticket was reopened. */
export const SERVICE_TICKET_REOPENED = 'service.ticket.reopened';
/** Every event of a ticket's life cycle; Sales consumes them in order per ticket. */
export const SERVICE_TICKET_EVENTS = 'service.ticket.*';

export interface ServiceTicketOpened {
  ticketId: string;
  accountId: string;
  contactId?: string | null;
  /** Human code, e.g. `SR-202611-00042`. */
  code?: string | null;
  subject: string;
  /** question, repair, complaint, return, dispute, … */
  category?: string | null;
  priority?: string | null;
  /** phone, web, email, portal, complaint */
  channel?: string | null;
  openedAt: string;
}

export interface ServiceTicketClosed {
  ticketId: string;
  accountId?: string | null;
  /** `closed` or `cancelled`. */
  resolution?: string | null;
  closedAt: string;
}

export interface ServiceTicketReopened {
  ticketId: string;
  accountId?: string | null;
  reopenedAt: string;
}

/** CallCenter: a call (inbound or outbound) ended. */
export const CALL_ENDED = 'call-center.call.ended';

export interface CallEnded {
  callId: string;
  /** The account and contact the call was matched to (screen pop), when known. */
  accountId?: string | null;
  contactId?: string | null;
  direction: 'inbound' | 'outbound';
  /** The customer's number (ANI for inbound, dialled number for outbound); used to match a contact when no ids are given. */
  customerNumber?: string | null;
  agentId?: string | null;
  queue?: string | null;
  startedAt: string;
  endedAt: string;
  talkSeconds?: number | null;
  /** answered, abandoned, voicemail, no-answer, … */
  disposition?: string | null;
  subject?: string | null;
}
