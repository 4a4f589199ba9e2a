import { Injectable } from '@nestjs/common';
import { uuidv7 } from 'uuidv7';
import { isUuid } from '../../../platform/database/ids.js';
import { Tx } from '../../../platform/database/transaction.js';
import type { DomainEvent } from '../../../platform/events/domain-event.js';
import { OnDomainEvent } from '../../../platform/events/on-domain-event.decorator.js';
import type { TouchKind } from '../domain/customer-touch.entity.js';
import { emailKey, phoneKey } from '../domain/duplicate.rules.js';
import {
  CALL_ENDED, SERVICE_TICKET_CLOSED, SERVICE_TICKET_EVENTS, SERVICE_TICKET_OPENED, SERVICE_TICKET_REOPENED,
  type CallEnded, type ServiceTicketClosed, type ServiceTicketOpened, type ServiceTicketReopened,
} from '../public/customer-touch-events.js';
import { CAMPAIGN_RESPONSE_RECEIVED, type CampaignResponseReceived } from '../public/events.js';

const uuidOrNull = (value: unknown): string | null => (isUuid(value) ? value : null);
const timeOr = (value: unknown, fallback: string): Date => {
  const time = typeof value === 'string' ? new Date(value) : new Date(NaN);
  return Number.isNaN(time.getTime()) ? new Date(fallback) : time;
};

interface Touch {
  kind: TouchKind;
  sourceId: string;
  accountId: string;
  contactId: string | null;
  status: string | null;
  title: string | null;
  occurredAt: Date;
  closedAt: Date | null;
  details: Record<string, unknown>;
}

/** Who a touch belongs to: the given account (if Sales knows it), else the contact's, else a unique email/phone match. */
interface Party {
  accountId?: string | null;
  contactId?: string | null;
  email?: string | null;
  phone?: string | null;
}

/**
 * Keeps `sales.customer_touch` (the customer 360's view of other contexts) from their events.
 * Each consumer runs in the dispatcher's transaction with the inbox, so a redelivered event is
 * skipped; writes are upserts keyed by (kind, source id), so a replay converges too. Events
 * about customers Sales cannot place (unknown account, no matching contact) are ignored.
 */
@Injectable()
export class RecordCustomerTouches {
  constructor(private readonly tx: Tx) {}

  /** One consumer for the whole ticket life cycle, so it sees a ticket's events in commit order. */
  @OnDomainEvent(SERVICE_TICKET_EVENTS, { consumer: 'sales.customer-touch.service-ticket' })
  async onServiceTicket(event: DomainEvent<ServiceTicketOpened | ServiceTicketClosed | ServiceTicketReopened>): Promise<void> {
    const ticketId = uuidOrNull(event.payload.ticketId);
    if (!ticketId) return;
    if (event.type === SERVICE_TICKET_OPENED) {
      const p = event.payload as ServiceTicketOpened;
      const party = await this.place({ accountId: p.accountId, contactId: p.contactId });
      if (!party) return;
      await this.upsert(event.id, {
        kind: 'service-ticket',
        sourceId: ticketId,
        ...party,
        status: 'open',
        title: p.subject ?? null,
        occurredAt: timeOr(p.openedAt, event.occurredAt),
        closedAt: null,
        details: { code: p.code ?? null, category: p.category ?? null, priority: p.priority ?? null, channel: p.channel ?? null },
      });
    } else if (event.type === SERVICE_TICKET_CLOSED) {
      const p = event.payload as ServiceTicketClosed;
      await this.setTicketStatus(event.id, ticketId, p.resolution === 'cancelled' ? 'cancelled' : 'closed', timeOr(p.closedAt, event.occurredAt));
    } else if (event.type === SERVICE_TICKET_REOPENED) {
      await this.setTicketStatus(event.id, ticketId, 'open', null);
    }
  }

  @OnDomainEvent(CALL_ENDED, { consumer: 'sales.customer-touch.call' })
  async onCallEnded(event: DomainEvent<CallEnded>): Promise<void> {
    const p = event.payload;
    const callId = uuidOrNull(p.callId);
    if (!callId) return;
    const party = await this.place({ accountId: p.accountId, contactId: p.contactId, phone: p.customerNumber });
    if (!party) return;
    await this.upsert(event.id, {
      kind: 'call',
      sourceId: callId,
      ...party,
      status: p.disposition ?? null,
      title: p.subject ?? null,
      occurredAt: timeOr(p.startedAt, event.occurredAt),
      closedAt: timeOr(p.endedAt, event.occurredAt),
      details: {
        direction: p.direction ?? null,
        customerNumber: p.customerNumber ?? null,
        agentId: p.agentId ?? null,
        queue: p.queue ?? null,
        talkSeconds: typeof p.talkSeconds === 'number' ? p.talkSeconds : null,
      },
    });
  }

  @OnDomainEvent(CAMPAIGN_RESPONSE_RECEIVED, { consumer: 'sales.customer-touch.campaign-response' })
  async onCampaignResponse(event: DomainEvent<CampaignResponseReceived>): Promise<void> {
    const p = event.payload;
    const responseId = uuidOrNull(p.responseId);
    if (!responseId) return;
    const party = await this.place({ accountId: p.accountId, contactId: p.contactId, email: p.email, phone: p.phone });
    if (!party) return;
    await this.upsert(event.id, {
      kind: 'campaign-response',
      sourceId: responseId,
      ...party,
      status: p.responseType ?? null,
      title: p.campaignName ?? null,
      occurredAt: timeOr(p.respondedAt, event.occurredAt),
      closedAt: null,
      details: { campaignId: uuidOrNull(p.campaignId), campaignName: p.campaignName ?? null, responseType: p.responseType ?? null, notes: p.notes ?? null },
    });
  }

  private async place(party: Party): Promise<{ accountId: string; contactId: string | null } | null> {
    const em = this.tx.tx;
    const accountId = uuidOrNull(party.accountId);
    const contactId = uuidOrNull(party.contactId);
    if (contactId) {
      const [contact]: Array<{ account_id: string }> = await em.query(`SELECT account_id FROM sales.contact WHERE id = $1`, [contactId]);
      if (contact && (!accountId || contact.account_id === accountId)) return { accountId: contact.account_id, contactId };
    }
    if (accountId) {
      const [account]: unknown[] = await em.query(`SELECT 1 FROM sales.account WHERE id = $1`, [accountId]);
      return account ? { accountId, contactId: null } : null;
    }
    const email = emailKey(party.email);
    const phone = phoneKey(party.phone);
    if (!email && !phone) return null;
    const matches: Array<{ id: string; account_id: string }> = await em.query(
      `SELECT id, account_id FROM sales.contact
        WHERE ($1::text IS NOT NULL AND email_key = $1) OR ($2::text IS NOT NULL AND (phone_key = $2 OR mobile_key = $2))
        LIMIT 20`,
      [email, phone],
    );
    const accounts = new Set(matches.map((m) => m.account_id));
    if (accounts.size !== 1) return null;
    return { accountId: matches[0].account_id, contactId: matches.length === 1 ? matches[0].id : null };
  }

  private async upsert(eventId: string, t: Touch): Promise<void> {
    await this.tx.tx.query(
      `INSERT INTO sales.customer_touch (id, account_id, contact_id, kind, source_id, status, title, occurred_at, closed_at, details, last_event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (kind, source_id) DO UPDATE SET
         account_id = EXCLUDED.account_id, contact_id = EXCLUDED.contact_id, status = EXCLUDED.status, title = EXCLUDED.title,
         occurred_at = EXCLUDED.occurred_at, closed_at = EXCLUDED.closed_at, details = EXCLUDED.details,
         last_event_id = EXCLUDED.last_event_id, updated_at = now()`,
      [uuidv7(), t.accountId, t.contactId, t.kind, t.sourceId, t.status, t.title, t.occurredAt, t.closedAt, JSON.stringify(t.details), eventId],
    );
  }

  /** Closing or reopening a ticket Sales never saw opened (unknown account) changes nothing. */
  private async setTicketStatus(eventId: string, ticketId: string, status: 'open' | 'closed' | 'cancelled', closedAt: Date | null): Promise<void> {
    await this.tx.tx.query(
      `UPDATE sales.customer_touch SET status = $2, closed_at = $3, last_event_id = $4, updated_at = now()
        WHERE kind = 'service-ticket' AND source_id = $1`,
      [ticketId, status, closedAt, eventId],
    );
  }
}
