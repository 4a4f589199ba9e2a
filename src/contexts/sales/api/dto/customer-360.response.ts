import { ApiProperty } from '@nestjs/swagger';
import type { Customer360 } from '../../application/customer-360.service.js';
import { TOUCH_KINDS, type CustomerTouch } from '../../domain/customer-touch.entity.js';
import { AccountResponse, toAccountResponse } from './account.response.js';
import { ActivityResponse, toActivityResponse } from './activity.response.js';
import { iso } from './common.js';
import { ContactResponse, toContactResponse } from './contact.response.js';
import { OpportunityResponse, toOpportunityResponse } from './opportunity.response.js';

export class CustomerTouchResponse {
  @ApiProperty({ enum: TOUCH_KINDS, enumName: 'CustomerTouchKind', example: 'service-ticket' }) kind: string;
  @ApiProperty({ format: 'uuid', description: 'The ticket, call or campaign response in its own context' }) sourceId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) contactId: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'open', description: 'Tickets: open/closed/cancelled; calls: disposition; campaign responses: response type' })
  status: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Printer jams on tray 2', description: 'Ticket subject, call subject or campaign name' })
  title: string | null;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { code: 'SR-202611-00042', priority: 'high', category: 'repair', channel: 'phone' },
    description: 'Facts from the event: tickets code/category/priority/channel; calls direction/customerNumber/agentId/queue/talkSeconds; responses campaignId/campaignName/responseType/notes',
  })
  details: Record<string, unknown>;
}

export class Customer360TotalsResponse {
  @ApiProperty({ example: 3, description: 'Contacts you may see (the list shows up to 100)' }) contacts: number;
  @ApiProperty({ example: 2, description: 'Open opportunities you may see (the list shows up to 100)' }) openOpportunities: number;
  @ApiProperty({ example: 1, description: 'Open service tickets (the list shows up to 100)' }) openServiceTickets: number;
}

export class Customer360Response {
  @ApiProperty({ type: AccountResponse }) account: AccountResponse;
  @ApiProperty({ type: [ContactResponse], description: 'By last name' }) contacts: ContactResponse[];
  @ApiProperty({ type: [OpportunityResponse], description: 'Open ones, by close date' }) openOpportunities: OpportunityResponse[];
  @ApiProperty({ type: [ActivityResponse], description: 'Latest first; as many as the setting customer360RecentItems' }) recentActivities: ActivityResponse[];
  @ApiProperty({ type: [CustomerTouchResponse], description: 'Open tickets from Service, latest first' }) openServiceTickets: CustomerTouchResponse[];
  @ApiProperty({ type: [CustomerTouchResponse], description: 'Calls from CallCenter, latest first (customer360RecentItems)' }) recentCalls: CustomerTouchResponse[];
  @ApiProperty({ type: [CustomerTouchResponse], description: 'Campaign responses from Marketing, latest first (customer360RecentItems)' }) campaignTouches: CustomerTouchResponse[];
  @ApiProperty({ type: Customer360TotalsResponse }) totals: Customer360TotalsResponse;
}

export const toCustomerTouchResponse = (t: CustomerTouch): CustomerTouchResponse => ({
  kind: t.kind,
  sourceId: t.sourceId,
  contactId: t.contactId,
  status: t.status,
  title: t.title,
  occurredAt: t.occurredAt.toISOString(),
  closedAt: iso(t.closedAt),
  details: t.details,
});

export const toCustomer360Response = (c: Customer360): Customer360Response => ({
  account: toAccountResponse(c.account),
  contacts: c.contacts.map(toContactResponse),
  openOpportunities: c.openOpportunities.map(toOpportunityResponse),
  recentActivities: c.recentActivities.map(toActivityResponse),
  openServiceTickets: c.openServiceTickets.map(toCustomerTouchResponse),
  recentCalls: c.recentCalls.map(toCustomerTouchResponse),
  campaignTouches: c.campaignTouches.map(toCustomerTouchResponse),
  totals: c.totals,
});
