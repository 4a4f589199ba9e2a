import { Injectable } from '@nestjs/common';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import { insertReturning } from '../../../platform/database/rows.js';
import { assertVersion, updateVersioned } from '../../../platform/database/versioned-update.js';
import { auditChange } from '../../../platform/audit/audit-diff.js';
import { AuditLog } from '../../../platform/audit/audit-log.js';
import { DomainError } from '../../../platform/errors/domain-error.js';
import type { Actor } from '../../../platform/identity/domain/actor.js';
import { paginateRendered, type PageQuery } from '../../../platform/http/pagination.js';
import type { RecordView, RenderedJson } from '../../../platform/http/record-view.js';
import { Account, type AccountFlag, type AccountTier, type AccountType, type CustomFields, type LifecycleStage, type PostalAddress } from '../domain/account.entity.js';
import { accountNameKey, emailKey, matchedOn, phoneKey, searchText, type DuplicateMatch } from '../domain/duplicate.rules.js';
import { changedFields, present, refuseNulls, snapshot } from './changes.js';
import { filterByCustomFields } from './custom-fields.js';
import { SalesAccess, type Caller } from './sales-access.js';
import { containsPattern, SalesEventPublisher } from './sales-events.js';
import { SalesSettings } from './sales-settings.js';

export interface AccountInput {
  name: string;
  type?: AccountType;
  industry?: string | null;
  tier?: AccountTier | null;
  lifecycleStage?: LifecycleStage;
  flags?: AccountFlag[];
  ownerId?: string;
  parentAccountId?: string | null;
  phone?: string | null;
  email?: string | null;
  website?: string | null;
  address?: PostalAddress | null;
  anniversary?: string | null;
  creditRating?: string | null;
  creditLimitMinor?: number | null;
  creditCurrency?: string | null;
  externalId?: string | null;
  customFields?: CustomFields;
}

export interface AccountFilter extends PageQuery {
  q?: string;
  type?: AccountType;
  tier?: AccountTier;
  lifecycleStage?: LifecycleStage;
  flag?: AccountFlag;
  industry?: string;
  ownerId?: string;
  orgUnitId?: string;
  parentAccountId?: string;
  externalId?: string;
  customFields?: CustomFields;
}

export interface DuplicateCandidate {
  id: string;
  name: string;
  matchedOn: DuplicateMatch[];
}

const REQUIRED = ['name', 'type', 'lifecycleStage', 'flags', 'customFields', 'ownerId'];

/** Accounts: create with duplicate check, read and list within scope, update, delete. */
@Injectable()
export class AccountService {
  constructor(
    private readonly tx: Tx,
    private readonly access: SalesAccess,
    private readonly events: SalesEventPublisher,
    private readonly audit: AuditLog,
    private readonly settings: SalesSettings,
  ) {}

  /**
   * Creates an account; 409 `sales.account.possible-duplicate` with the candidates unless
   * `force`. Joins the caller's transaction when there is one (lead conversion).
   */
  @Transactional()
  async create(actor: Caller, input: AccountInput, force = false): Promise<Account> {
    const repo = this.tx.tx.getRepository(Account);
    const owner = await this.access.resolveOwner(actor, 'account', input.ownerId);
    if (input.parentAccountId) await this.access.reference(actor, 'account', Account, 'parentAccountId', input.parentAccountId);
    if (input.externalId) await this.assertExternalIdFree(input.externalId);
    const account = repo.create({
      type: 'prospect',
      lifecycleStage: 'suspect',
      flags: ['active'],
      customFields: {},
      ...nullsFor(input),
      ...present(input),
      ...owner,
    });
    withKeys(account);
    if (!force) await this.refuseDuplicates(actor, account);
    const created = await insertReturning(this.tx.tx, Account, account);
    await this.audit.record({ actor, recordType: 'sales.account', recordId: created.id, action: 'create', after: snapshot(created) });
    await this.events.publish('sales.account.created', created.id, {
      accountId: created.id,
      name: created.name,
      type: created.type,
      ownerId: created.ownerId,
      orgUnitId: created.orgUnitId,
      parentAccountId: created.parentAccountId,
      externalId: created.externalId,
    });
    return created;
  }

  get(actor: Actor, id: string): Promise<Account> {
    return this.access.load(actor, 'account', Account, 'Account', id);
  }

  /** {@link get}, rendered through `view` by PostgreSQL (the body of GET /accounts/{id}). */
  getRendered(actor: Actor, id: string, view: RecordView<Account, unknown>): Promise<RenderedJson> {
    return this.access.loadRendered(actor, 'account', view, 'Account', id);
  }

  /** A page of the accounts in the actor's scope matching the filter, rendered through `view`. */
  async list(actor: Actor, filter: AccountFilter, view: RecordView<Account, unknown>): Promise<RenderedJson> {
    const qb = this.tx.tx.getRepository(Account).createQueryBuilder('a');
    filterByCustomFields(qb, filter.customFields);
    for (const field of ['type', 'tier', 'lifecycleStage', 'industry', 'ownerId', 'orgUnitId', 'parentAccountId', 'externalId'] as const) {
      if (filter[field] !== undefined) qb.andWhere(`a.${field} = :${field}`, { [field]: filter[field] });
    }
    if (filter.flag) qb.andWhere(':flag = ANY(a.flags)', { flag: filter.flag });
    if (filter.q) qb.andWhere(`a.searchText LIKE :q`, { q: containsPattern(filter.q) });
    await this.access.narrow(qb, actor, 'account');
    return paginateRendered(qb, filter, { sortable: { name: 'name', createdAt: 'createdAt', updatedAt: 'updatedAt' }, defaultSort: 'name' }, view);
  }

  @Transactional()
  async update(actor: Actor, id: string, expectedVersion: number | undefined, changes: Partial<AccountInput>): Promise<Account> {
    refuseNulls(changes, REQUIRED);
    const before = await this.access.load(actor, 'account', Account, 'Account', id);
    const fields = changedFields(before, changes as Partial<Account>);
    const patch: Partial<Account> = Object.fromEntries(fields.map((f) => [f, (changes as Partial<Account>)[f]]));
    if (fields.includes('ownerId')) Object.assign(patch, await this.access.resolveOwner(actor, 'account', patch.ownerId));
    if (patch.parentAccountId) await this.assertParent(actor, id, patch.parentAccountId);
    if (patch.externalId) await this.assertExternalIdFree(patch.externalId, id);
    Object.assign(patch, keysOf({ ...before, ...patch }));
    const after = await updateVersioned(this.tx.tx, Account, 'Account', id, expectedVersion, patch);
    if (fields.length) {
      await this.audit.record({ actor, recordType: 'sales.account', recordId: id, action: 'update', ...auditChange(before, after, fields) });
      await this.events.publish('sales.account.updated', id, { accountId: id, changed: fields, ownerId: after.ownerId });
    }
    return after;
  }

  /** Deletes an account that has no contacts, opportunities or child accounts (else 409). */
  @Transactional()
  async delete(actor: Actor, id: string, expectedVersion: number | undefined): Promise<void> {
    const account = await this.access.load(actor, 'account', Account, 'Account', id, { lock: true });
    assertVersion(expectedVersion, account.version);
    const [dependents]: Array<{ contacts: number; opportunities: number; children: number }> = await this.tx.tx.query(
      `SELECT (SELECT count(*)::int FROM sales.contact WHERE account_id = $1) AS contacts,
              (SELECT count(*)::int FROM sales.opportunity WHERE account_id = $1) AS opportunities,
              (SELECT count(*)::int FROM sales.account WHERE parent_account_id = $1) AS children`,
      [id],
    );
    if (dependents.contacts + dependents.opportunities + dependents.children > 0) {
      throw new DomainError('conflict', 'sales.account.has-dependents', 'Delete or move the account’s contacts, opportunities and child accounts first', { ...dependents });
    }
    await this.tx.tx.getRepository(Account).delete({ id });
    await this.audit.record({ actor, recordType: 'sales.account', recordId: id, action: 'delete', before: snapshot(account) });
    await this.events.publish('sales.account.deleted', id, { accountId: id });
  }

  private async refuseDuplicates(actor: Caller, account: Account): Promise<void> {
    const rows: Array<Pick<Account, 'id' | 'name' | 'nameKey' | 'emailKey' | 'phoneKey' | 'ownerId'>> = await this.tx.tx.query(
      `SELECT id, name, name_key AS "nameKey", email_key AS "emailKey", phone_key AS "phoneKey", owner_id AS "ownerId"
         FROM sales.account
        WHERE name_key = $1 OR email_key = $2 OR phone_key = $3
        ORDER BY created_at LIMIT 20`,
      [account.nameKey, account.emailKey, account.phoneKey],
    );
    if (rows.length === 0) return;
    const candidates: DuplicateCandidate[] = [];
    for (const row of rows) {
      if (await this.access.canSee(actor, 'account', row)) {
        candidates.push({ id: row.id, name: row.name, matchedOn: matchedOn(dupKeys(account), dupKeys(row)) });
      }
    }
    throw new DomainError('conflict', 'sales.account.possible-duplicate', 'Accounts with the same name, email or phone exist; send force: true to create anyway', {
      candidates,
      ...(await this.settings.hiddenDuplicateCandidates(rows.length, candidates.length)),
    });
  }

  private async assertParent(actor: Actor, id: string, parentId: string): Promise<void> {
    await this.access.reference(actor, 'account', Account, 'parentAccountId', parentId);
    const [cycle]: Array<{ found: boolean }> = await this.tx.tx.query(
      `WITH RECURSIVE up(id, parent) AS (
         SELECT id, parent_account_id FROM sales.account WHERE id = $1
         UNION SELECT a.id, a.parent_account_id FROM sales.account a JOIN up ON a.id = up.parent)
       SELECT EXISTS (SELECT 1 FROM up WHERE id = $2) AS found`,
      [parentId, id],
    );
    if (cycle.found) throw new DomainError('rule-violated', 'sales.account.parent-cycle', 'An account cannot be below itself in the group structure');
  }

  private async assertExternalIdFree(externalId: string, exceptId?: string): Promise<void> {
    const rows: unknown[] = await this.tx.tx.query(`SELECT 1 FROM sales.account WHERE external_id = $1 AND id IS DISTINCT FROM $2`, [externalId, exceptId ?? null]);
    if (rows.length) throw new DomainError('conflict', 'sales.account.external-id-taken', `Another account already has external id ${externalId}`);
  }
}

const OPTIONAL_NULLS = ['industry', 'tier', 'parentAccountId', 'phone', 'email', 'website', 'address', 'anniversary', 'creditRating', 'creditLimitMinor', 'creditCurrency', 'externalId'];
const nullsFor = (_input: AccountInput) => Object.fromEntries(OPTIONAL_NULLS.map((k) => [k, null]));

function keysOf(a: Pick<Account, 'name' | 'email' | 'phone'>) {
  return { nameKey: accountNameKey(a.name), emailKey: emailKey(a.email), phoneKey: phoneKey(a.phone), searchText: searchText(a.name, a.email, a.phone) };
}
const withKeys = (a: Account) => Object.assign(a, keysOf(a));
const dupKeys = (a: Pick<Account, 'nameKey' | 'emailKey' | 'phoneKey'>) => ({ nameKey: a.nameKey, emailKey: a.emailKey, phoneKeys: [a.phoneKey] });
