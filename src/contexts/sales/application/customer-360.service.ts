import { Injectable } from '@nestjs/common';
import { Tx } from '../../../platform/database/transaction.js';
import type { Actor } from '../../../platform/identity/domain/actor.js';
import { Account } from '../domain/account.entity.js';
import { Activity } from '../domain/activity.entity.js';
import { Contact } from '../domain/contact.entity.js';
import { CustomerTouch, type TouchKind } from '../domain/customer-touch.entity.js';
import { Opportunity } from '../domain/opportunity.entity.js';
import { SalesAccess } from './sales-access.js';
import { SALES_SETTINGS, SalesSettings } from './sales-settings.js';

/** Lists that are complete up to this many rows (the totals say how many there are). */
export const CUSTOMER_360_LIST_CAP = 100;

export interface Customer360 {
  account: Account;
  contacts: Contact[];
  openOpportunities: Opportunity[];
  recentActivities: Activity[];
  openServiceTickets: CustomerTouch[];
  recentCalls: CustomerTouch[];
  campaignTouches: CustomerTouch[];
  totals: { contacts: number; openOpportunities: number; openServiceTickets: number };
}

/**
 * The customer 360: an account with what Sales knows about it (contacts, open opportunities,
 * recent activities — each narrowed to the caller's own scope for that record type) and what
 * other contexts did with the customer, from Sales' read model `sales.customer_touch` (fed by
 * their events, never read from their tables). The account itself decides visibility (404).
 */
@Injectable()
export class Customer360Service {
  constructor(private readonly tx: Tx, private readonly access: SalesAccess, private readonly settings: SalesSettings) {}

  async get(actor: Actor, accountId: string): Promise<Customer360> {
    const account = await this.access.load(actor, 'account', Account, 'Account', accountId);
    const recent = Number(await this.settings.get<number>(SALES_SETTINGS.customer360RecentItems));
    const em = this.tx.tx;

    const contacts = em.getRepository(Contact).createQueryBuilder('c').where('c.accountId = :accountId', { accountId });
    await this.access.narrow(contacts, actor, 'contact');
    const [contactRows, contactCount] = await contacts.orderBy('c.lastName').addOrderBy('c.id').take(CUSTOMER_360_LIST_CAP).getManyAndCount();

    const opportunities = em.getRepository(Opportunity).createQueryBuilder('o').where('o.accountId = :accountId', { accountId }).andWhere(`o.status = 'open'`);
    await this.access.narrow(opportunities, actor, 'opportunity');
    const [opportunityRows, opportunityCount] = await opportunities.orderBy('o.closeDate').addOrderBy('o.id').take(CUSTOMER_360_LIST_CAP).getManyAndCount();

    const activities = em.getRepository(Activity).createQueryBuilder('a').where('a.accountId = :accountId', { accountId });
    await this.access.narrow(activities, actor, 'activity');
    const activityRows = await activities.orderBy('a.startAt', 'DESC').addOrderBy('a.id', 'DESC').take(recent).getMany();

    const [tickets, ticketCount] = await this.touches(accountId, 'service-ticket', CUSTOMER_360_LIST_CAP, 'open').getManyAndCount();
    const calls = await this.touches(accountId, 'call', recent).getMany();
    const campaignTouches = await this.touches(accountId, 'campaign-response', recent).getMany();

    return {
      account,
      contacts: contactRows,
      openOpportunities: opportunityRows,
      recentActivities: activityRows,
      openServiceTickets: tickets,
      recentCalls: calls,
      campaignTouches,
      totals: { contacts: contactCount, openOpportunities: opportunityCount, openServiceTickets: ticketCount },
    };
  }

  private touches(accountId: string, kind: TouchKind, limit: number, status?: string) {
    const qb = this.tx.tx
      .getRepository(CustomerTouch)
      .createQueryBuilder('t')
      .where('t.accountId = :accountId', { accountId })
      .andWhere('t.kind = :kind', { kind });
    if (status) qb.andWhere('t.status = :status', { status });
    return qb.orderBy('t.occurredAt', 'DESC').addOrderBy('t.id', 'DESC').take(limit);
  }
}
