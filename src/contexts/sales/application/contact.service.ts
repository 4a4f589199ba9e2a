import { Injectable } from '@nestjs/common';
import { auditChange } from '../../../platform/audit/audit-diff.js';
import { AuditLog } from '../../../platform/audit/audit-log.js';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import { insertReturning } from '../../../platform/database/rows.js';
import { assertVersion, updateVersioned } from '../../../platform/database/versioned-update.js';
import { DomainError } from '../../../platform/errors/domain-error.js';
import { paginateRendered, type PageQuery } from '../../../platform/http/pagination.js';
import type { RecordView, RenderedJson } from '../../../platform/http/record-view.js';
import type { Actor } from '../../../platform/identity/domain/actor.js';
import { Account, type CustomFields } from '../domain/account.entity.js';
import { Contact, type PreferredChannel } from '../domain/contact.entity.js';
import { emailKey, matchedOn, phoneKey, searchText } from '../domain/duplicate.rules.js';
import type { DuplicateCandidate } from './account.service.js';
import { changedFields, present, refuseNulls, snapshot } from './changes.js';
import { filterByCustomFields } from './custom-fields.js';
import { SalesAccess, type Caller } from './sales-access.js';
import { containsPattern, SalesEventPublisher } from './sales-events.js';
import { SalesSettings } from './sales-settings.js';

export interface ContactInput {
  accountId: string;
  firstName?: string | null;
  lastName: string;
  title?: string | null;
  department?: string | null;
  email?: string | null;
  phone?: string | null;
  mobile?: string | null;
  birthday?: string | null;
  preferredChannel?: PreferredChannel | null;
  interests?: string[];
  ownerId?: string;
  customFields?: CustomFields;
}

export interface ContactFilter extends PageQuery {
  q?: string;
  accountId?: string;
  ownerId?: string;
  email?: string;
  customFields?: CustomFields;
}

const REQUIRED = ['accountId', 'lastName', 'interests', 'ownerId', 'customFields'];
const OPTIONAL = ['firstName', 'title', 'department', 'email', 'phone', 'mobile', 'birthday', 'preferredChannel'];

/**
 * Contacts: people at exactly one account. A contact's `ownerId` defaults to its account's
 * owner and decides its visibility (scope `sales.contact`, account column `accountId`).
 */
@Injectable()
export class ContactService {
  constructor(
    private readonly tx: Tx,
    private readonly access: SalesAccess,
    private readonly events: SalesEventPublisher,
    private readonly audit: AuditLog,
    private readonly settings: SalesSettings,
  ) {}

  /**
   * Creates a contact at an account the caller sees; 409 `sales.contact.possible-duplicate`
   * with the candidates unless `force`. Joins the caller's transaction (lead conversion).
   */
  @Transactional()
  async create(actor: Caller, input: ContactInput, force = false): Promise<Contact> {
    const account = await this.access.reference(actor, 'account', Account, 'accountId', input.accountId);
    const owner = input.ownerId ? await this.access.resolveOwner(actor, 'contact', input.ownerId) : { ownerId: account.ownerId };
    const repo = this.tx.tx.getRepository(Contact);
    const contact = repo.create({
      interests: [],
      customFields: {},
      ...Object.fromEntries(OPTIONAL.map((k) => [k, null])),
      ...present(input),
      ownerId: owner.ownerId,
    });
    Object.assign(contact, keysOf(contact));
    if (!force) await this.refuseDuplicates(actor, contact);
    const created = await insertReturning(this.tx.tx, Contact, contact);
    await this.audit.record({ actor, recordType: 'sales.contact', recordId: created.id, action: 'create', after: snapshot(created) });
    await this.events.publish('sales.contact.created', created.id, {
      contactId: created.id,
      accountId: created.accountId,
      firstName: created.firstName,
      lastName: created.lastName,
      email: created.email,
      phone: created.phone,
      mobile: created.mobile,
      ownerId: created.ownerId,
    });
    return created;
  }

  get(actor: Actor, id: string): Promise<Contact> {
    return this.access.load(actor, 'contact', Contact, 'Contact', id);
  }

  /** {@link get}, rendered through `view` by PostgreSQL (the body of GET /contacts/{id}). */
  getRendered(actor: Actor, id: string, view: RecordView<Contact, unknown>): Promise<RenderedJson> {
    return this.access.loadRendered(actor, 'contact', view, 'Contact', id);
  }

  /** A page of the contacts in the actor's scope matching the filter, rendered through `view`. */
  async list(actor: Actor, filter: ContactFilter, view: RecordView<Contact, unknown>): Promise<RenderedJson> {
    const qb = this.tx.tx.getRepository(Contact).createQueryBuilder('c');
    filterByCustomFields(qb, filter.customFields);
    if (filter.accountId) qb.andWhere('c.accountId = :accountId', { accountId: filter.accountId });
    if (filter.ownerId) qb.andWhere('c.ownerId = :ownerId', { ownerId: filter.ownerId });
    if (filter.email) qb.andWhere('c.emailKey = :email', { email: emailKey(filter.email) });
    if (filter.q) qb.andWhere('c.searchText LIKE :q', { q: containsPattern(filter.q) });
    await this.access.narrow(qb, actor, 'contact');
    return paginateRendered(qb, filter, { sortable: { lastName: 'lastName', createdAt: 'createdAt', updatedAt: 'updatedAt' }, defaultSort: 'lastName' }, view);
  }

  @Transactional()
  async update(actor: Actor, id: string, expectedVersion: number | undefined, changes: Partial<ContactInput>): Promise<Contact> {
    refuseNulls(changes, REQUIRED);
    const before = await this.access.load(actor, 'contact', Contact, 'Contact', id);
    const fields = changedFields(before, changes as Partial<Contact>);
    const patch: Partial<Contact> = Object.fromEntries(fields.map((f) => [f, (changes as Partial<Contact>)[f]]));
    if (patch.accountId) await this.access.reference(actor, 'account', Account, 'accountId', patch.accountId);
    if (patch.ownerId) patch.ownerId = (await this.access.resolveOwner(actor, 'contact', patch.ownerId)).ownerId;
    Object.assign(patch, keysOf({ ...before, ...patch }));
    const after = await updateVersioned(this.tx.tx, Contact, 'Contact', id, expectedVersion, patch);
    if (fields.length) {
      await this.audit.record({ actor, recordType: 'sales.contact', recordId: id, action: 'update', ...auditChange(before, after, fields) });
      await this.events.publish('sales.contact.updated', id, {
        contactId: id,
        accountId: after.accountId,
        changed: fields,
        email: after.email,
        phone: after.phone,
        mobile: after.mobile,
      });
    }
    return after;
  }

  @Transactional()
  async delete(actor: Actor, id: string, expectedVersion: number | undefined): Promise<void> {
    const contact = await this.access.load(actor, 'contact', Contact, 'Contact', id, { lock: true });
    assertVersion(expectedVersion, contact.version);
    await this.tx.tx.getRepository(Contact).delete({ id });
    await this.audit.record({ actor, recordType: 'sales.contact', recordId: id, action: 'delete', before: snapshot(contact) });
    await this.events.publish('sales.contact.deleted', id, { contactId: id, accountId: contact.accountId });
  }

  private async refuseDuplicates(actor: Caller, contact: Contact): Promise<void> {
    const phones = [contact.phoneKey, contact.mobileKey].filter((p): p is string => !!p);
    if (!contact.emailKey && phones.length === 0) return;
    const rows: Array<Pick<Contact, 'id' | 'firstName' | 'lastName' | 'accountId' | 'ownerId' | 'emailKey' | 'phoneKey' | 'mobileKey'>> = await this.tx.tx.query(
      `SELECT id, first_name AS "firstName", last_name AS "lastName", account_id AS "accountId", owner_id AS "ownerId",
              email_key AS "emailKey", phone_key AS "phoneKey", mobile_key AS "mobileKey"
         FROM sales.contact
        WHERE email_key = $1 OR phone_key = ANY($2) OR mobile_key = ANY($2)
        ORDER BY created_at LIMIT 20`,
      [contact.emailKey, phones],
    );
    if (rows.length === 0) return;
    const candidates: DuplicateCandidate[] = [];
    for (const row of rows) {
      if (await this.access.canSee(actor, 'contact', row)) {
        candidates.push({
          id: row.id,
          name: [row.firstName, row.lastName].filter(Boolean).join(' '),
          matchedOn: matchedOn({ emailKey: contact.emailKey, phoneKeys: phones }, { emailKey: row.emailKey, phoneKeys: [row.phoneKey, row.mobileKey] }),
        });
      }
    }
    throw new DomainError('conflict', 'sales.contact.possible-duplicate', 'Contacts with the same email or phone exist; send force: true to create anyway', {
      candidates,
      ...(await this.settings.hiddenDuplicateCandidates(rows.length, candidates.length)),
    });
  }
}

function keysOf(c: Pick<Contact, 'firstName' | 'lastName' | 'email' | 'phone' | 'mobile'>) {
  return {
    emailKey: emailKey(c.email),
    phoneKey: phoneKey(c.phone),
    mobileKey: phoneKey(c.mobile),
    searchText: searchText(c.firstName, c.lastName, c.email, c.phone, c.mobile),
  };
}
